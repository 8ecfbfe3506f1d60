import Vapor
import Store

/// Runs the web server until it is stopped (Ctrl-C or SIGTERM).
public enum EyesOnServer {
    /// In demo mode (`options.demo`) the demo area is loaded first when the database is empty,
    /// printing the logins.
    public static func run(options: ServerOptions, output: @escaping @Sendable (String) -> Void) async throws {
        let environment = Environment(name: options.environmentName, arguments: ["eyeson", "serve"])
        let app = try await Application.make(environment)
        do {
            try await configure(app, options: options)
            let abandoned = UploadStaging.removeAbandoned()
            if abandoned > 0 { app.logger.notice("removed the uploads left by \(abandoned) server process(es) that stopped in the middle of an import") }
            if options.demo, try await DemoArea.isEmpty(app.db) {
                output("Loading the demo area (about \(DemoArea.defaultChildren.formatted()) synthetic children) into \(options.location.safeDescription)…")
                let (summary, logins) = try await DemoArea.load(on: app.db)
                output("Loaded \(summary.children.formatted()) children and \(summary.people.formatted()) people in all. Demo logins (synthetic accounts for this database only):")
                for login in logins { output(login.description) }
            }
            output("EyesOn is serving \(options.location.safeDescription) at http://\(options.host):\(options.port)")
            try await app.execute()
            // Stopped (SIGTERM, Ctrl-C): stop taking requests, let those under way finish (a
            // client that hung up leaves its request still running), then close the database —
            // closing it under a running request crashed the process.
            await app.server.shutdown()
            if await app.requestMetrics?.waitUntilIdle(timeout: .seconds(10)) == false {
                app.logger.warning("stopping with requests still running after 10 seconds")
            }
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }
}
