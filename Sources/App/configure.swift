import Vapor
import Fluent
import EyesOnCore
import Store

/// Every migration the server needs: the store's and the session table.
public enum AppMigrations {
    public static var all: [any Migration] {
        StoreMigrations.all + sessions
    }

    /// The web sessions' table, which the store knows nothing of.
    public static var sessions: [any Migration] {
        [SessionRecord.migration]
    }
}

/// Sets up a Vapor application for EyesOn: database, migrations, sessions, middleware and routes.
public func configure(_ app: Application, options: ServerOptions) async throws {
    // The database's own blocking threads, before the database is set up (StoreSetup.blockingThreads).
    app.threadPool = NIOThreadPool(numberOfThreads: StoreSetup.blockingThreads)
    app.http.server.configuration.hostname = options.host
    app.http.server.configuration.port = options.port
    app.http.server.configuration.serverName = nil
    app.routes.defaultMaxBodySize = "1mb"
    app.serverClock = ServerClock(file: options.clockFile)
    app.serverOptions = options
    if options.benchmarkUnauditedReads { app.logger.warning("benchmark mode: opening a child's record is NOT audited (serve --benchmark-unaudited-reads)") }
    if let file = options.clockFile { app.logger.warning("test clock: today is read from \(file) on every request") }

    app.databases.use(try options.location.configuration(), as: .eyeson, isDefault: true)
    try await StoreSetup.checkConnection(
        app.databases.database(.eyeson, logger: StoreSetup.quietLogger, on: app.eventLoopGroup.any())!, location: options.location)
    try await StoreSetup.prepareEngine(app.db)
    try await StoreSetup.prepareConnections(app.databases, on: app.eventLoopGroup)
    app.migrations.add(AppMigrations.all)
    try await app.autoMigrate()
    try await StoreSetup.afterMigrations(app.db)
    app.auditWriter = AuditWriter(database: { [app] in app.db })
    app.householdScopeRefresher = HouseholdScopeRefresher()
    app.pageCache = PageCache(enabled: options.pageCache)
    if let standby = options.standby {
        // Not connected now: a standby that is down when the server starts only sends the
        // reporting reads to the primary until it is back (StandbyMonitor).
        app.databases.use(try standby.configuration(), as: .eyesonStandby, isDefault: false)
        app.standbyMonitor = StandbyMonitor(maxLag: options.maxStandbyLag)
        app.logger.notice("reporting reads go to the standby \(standby.safeDescription) while it is at most \(options.maxStandbyLag) s behind")
    }

    app.sessions.use { UnchangedSessions(base: $0.fluent.sessions.driver()) }
    app.sessions.configuration.cookieName = "eyeson-session"
    let secure = options.behindTLS
    // Max-Age, not Expires: the cookie is sent with every response, and formatting an Expires date
    // (Foundation makes a date formatter each time) cost an eighth of a kept page's time.
    app.sessions.configuration.cookieFactory = { id in
        HTTPCookies.Value(string: id.string, expires: nil, maxAge: Int(SignedInUserMiddleware.sessionLifetime),
                          domain: nil, path: "/", isSecure: secure, isHTTPOnly: true, sameSite: .lax)
    }
    app.passwords.use(.bcrypt)

    // Outermost first: the request's timing and id, headers on every response, errors as pages,
    // then the session and user.
    app.middleware = Middlewares()
    let metrics = RequestMetrics()
    app.requestMetrics = metrics
    app.middleware.use(RequestMetricsMiddleware(metrics: metrics))
    app.middleware.use(SecurityHeadersMiddleware(behindTLS: options.behindTLS))
    app.middleware.use(ErrorPageMiddleware())
    app.middleware.use(app.sessions.middleware)
    app.middleware.use(SignedInUserMiddleware())
    app.middleware.use(CSRFMiddleware())

    try routes(app, options: options)
}

func routes(_ app: Application, options: ServerOptions) throws {
    try app.register(collection: OperationsController(metricsToken: options.metricsToken))
    app.get("assets", "eyeson.css") { _ -> Response in
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "text", subType: "css", parameters: ["charset": "utf-8"])
        headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=3600")
        return Response(status: .ok, headers: headers, body: .init(string: Stylesheet.css + "\n" + Stylesheet.extra))
    }
    app.get("assets", "eyeson.js") { _ -> Response in
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "text", subType: "javascript", parameters: ["charset": "utf-8"])
        headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=3600")
        return Response(status: .ok, headers: headers, body: .init(string: Script.js))
    }
    try app.register(collection: SignInController(policy: options.signInPolicy, throttle: SignInThrottle(policy: options.signInPolicy),
                                                  demoMode: options.demo))
    try app.register(collection: SignpostingController())
    try app.register(collection: FeedAPIController())
    try app.register(collection: ReadAPIController())

    let signedIn = app.grouped(RequireSignInMiddleware(), RouteAccessMiddleware())
    try signedIn.register(collection: HomeController())
    try signedIn.register(collection: ChildrenController())
    try signedIn.register(collection: ListController())
    try signedIn.register(collection: EyesOnController())
    try signedIn.register(collection: ImportsController())
    try signedIn.register(collection: MatchingController())
    try signedIn.register(collection: TimescalesController())
    try signedIn.register(collection: SeriousIncidentsController())
    try signedIn.register(collection: RecordedMeetingsController())
    try signedIn.register(collection: EncompassController())
    try signedIn.register(collection: SharingController())
    try signedIn.register(collection: ReturnsController())
    try signedIn.register(collection: WorkforceController())
    try signedIn.register(collection: PlacementsController())
    try signedIn.register(collection: GovernanceController())
    try signedIn.register(collection: SignpostingController.Editing())
}
