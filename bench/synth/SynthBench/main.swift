// Times SyntheticArea.generate + writeExtracts for one size; see bench/synth/run.
import EyesOnCore
import Foundation
import Synthetic

let args = CommandLine.arguments
let children = args.count > 1 ? Int(args[1]) ?? 10_000 : 10_000
let out = URL(fileURLWithPath: args.count > 2 ? args[2] : "/tmp/synth-bench-out")
let seed: UInt64 = args.count > 3 ? UInt64(args[3]) ?? 42 : 42
let asOf = CivilDate(args.count > 4 && !args[4].hasPrefix("--") ? args[4] : "2025-01-15")!

try? FileManager.default.removeItem(at: out)
let clock = ContinuousClock()
let t0 = clock.now
let verbose = CommandLine.arguments.contains("--verbose")
var lastPhase = ""
let area = SyntheticArea.generate(AreaConfiguration(children: children, seed: seed, asOf: asOf)) { phase, fraction in
    if verbose && (phase != lastPhase || fraction == 1) {
        print(String(format: "  %@ %.0f%%  rss %.0f MB  peak %.0f MB", phase, fraction * 100, memoryMB("VmRSS:"), memoryMB("VmHWM:")))
        lastPhase = phase
    }
}
let t1 = clock.now
let peakAfterGenerate = peakMemoryMB()
let files = try area.writeExtracts(to: out)
let t2 = clock.now

/// A memory figure from /proc/self/status (Linux), in MB: VmHWM is the peak resident set.
func memoryMB(_ key: String) -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
          let line = status.split(separator: "\n").first(where: { $0.hasPrefix(key) }) else { return 0 }
    let kb = Double(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "0") ?? 0
    return kb / 1024
}

func peakMemoryMB() -> Double { memoryMB("VmHWM:") }

func seconds(_ d: Duration) -> Double {
    Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
}
let generate = seconds(t1 - t0), write = seconds(t2 - t1), total = seconds(t2 - t0)
let bytes = files.reduce(0) { $0 + $1.bytes }
print("children      \(children)")
print("layout        SyntheticPerson \(MemoryLayout<SyntheticPerson>.stride) B, enrolment \(MemoryLayout<SyntheticEnrolment>.stride) B")
print("people        \(area.people.count)  (households \(area.households.count), agencies \(area.agencies.count))")
print(String(format: "generate      %.2f s", generate))
print(String(format: "write         %.2f s", write))
print(String(format: "total         %.2f s  (%.0f children/s)", total, Double(children) / total))
print(String(format: "peak memory   %.0f MB after generate, %.0f MB after write", peakAfterGenerate, peakMemoryMB()))
print(String(format: "output        %.1f MB in %d files", Double(bytes) / 1_048_576, files.count))
if CommandLine.arguments.contains("--summary") { print(area.summary) }
for f in files {
    print("  \(f.name.padding(toLength: 26, withPad: " ", startingAt: 0)) \(String(f.rows).padding(toLength: 10, withPad: " ", startingAt: 0)) rows  \(String(format: "%9.1f", Double(f.bytes) / 1_048_576)) MB")
}
