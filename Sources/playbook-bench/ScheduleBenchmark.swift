import Foundation
import PlaybookLanguage

/// Parses many generated schedules and computes each one's next fire time, as `playbook serve`
/// does for every schedule trigger when it starts.
enum ScheduleBenchmark {
    static func run(arguments: [String]) {
        func value(of option: String) -> String? { arguments.firstIndex(of: option).flatMap { $0 + 1 < arguments.count ? arguments[$0 + 1] : nil } }
        let count = Int(value(of: "--schedules") ?? "") ?? 100_000
        let rounds = Int(value(of: "--rounds") ?? "") ?? 5

        var generator = SplitMix64(seed: 2026)
        let texts = (0..<count).map { _ in schedule(&generator) }
        let zoneNames = (0..<count).map { _ in generator.pick(zones) }
        // Start instants spread over two years, a quarter of them in the hour before a clock change.
        let starts = (0..<count).map { _ in
            generator.below(4) == 0 ? generator.pick(transitions) - Double(generator.below(3600))
                                    : 1_767_225_600 + Double(generator.below(2 * 365 * 86_400))
        }

        var parseTimes: [Double] = []
        var zoneTimes: [Double] = []
        var fireTimes: [Double] = []
        var schedules: [CronSchedule] = []
        var timeZones: [TimeZone] = []
        var fired = 0
        for _ in 0..<rounds {
            let parseStart = ContinuousClock.now
            schedules = texts.map { text in
                guard let schedule = CronSchedule.parse(text).value else { fatalError("generated schedule does not parse: \(text)") }
                return schedule
            }
            parseTimes.append(seconds(since: parseStart))

            let zoneStart = ContinuousClock.now
            timeZones = zoneNames.map { name in
                guard let zone = TimeZoneName.parse(name).value else { fatalError("unknown zone \(name)") }
                return zone.timeZone
            }
            zoneTimes.append(seconds(since: zoneStart))

            let fireStart = ContinuousClock.now
            fired = 0
            for index in 0..<count where schedules[index].nextFire(after: Date(timeIntervalSince1970: starts[index]), in: timeZones[index]) != nil {
                fired += 1
            }
            fireTimes.append(seconds(since: fireStart))
        }
        // Only a schedule naming a day that never comes (31 April) may stay silent.
        let silent = (0..<count).filter { schedules[$0].nextFire(after: Date(timeIntervalSince1970: starts[$0]), in: timeZones[$0]) == nil }
        if let wrong = silent.first(where: { schedules[$0].neverFiresProblem == nil }) {
            fatalError("'\(texts[wrong])' in \(zoneNames[wrong]) can fire but found no next fire time")
        }
        let realTime = schedules.count { $0.followsRealTime }
        let parse = median(parseTimes)
        let zone = median(zoneTimes)
        let fire = median(fireTimes)
        print("\(count) schedules (\(realTime) follow real time, \(count - realTime) fixed times of day) in \(zones.count) zones; median of \(rounds) rounds")
        print(String(format: "parse cron text:  %.3f s  %6.2f µs per schedule", parse, parse / Double(count) * 1e6))
        print(String(format: "parse time zones: %.3f s  %6.2f µs per schedule", zone, zone / Double(count) * 1e6))
        print(String(format: "next fire:        %.3f s  %6.2f µs per schedule  (%d fire; %d name a day that never comes)",
                     fire, fire / Double(count) * 1e6, fired, silent.count))
        print(String(format: "all three:        %.3f s", parse + zone + fire))
    }

    private static let zones = [
        "UTC", "Europe/Warsaw", "Europe/London", "America/New_York", "America/Los_Angeles", "America/Sao_Paulo",
        "Australia/Sydney", "Australia/Lord_Howe", "Asia/Kolkata", "Asia/Tokyo", "Pacific/Auckland",
    ]

    /// Clock changes of 2026 in those zones (Unix seconds).
    private static let transitions: [Double] = [
        1_774_746_000, 1_792_890_000, // Europe, 29 March and 25 October 01:00 UTC
        1_772_953_200, 1_793_512_800, // New York, 8 March and 1 November
        1_775_318_400, 1_791_043_200, // Sydney, 5 April and 4 October
        1_775_314_800, 1_791_041_400, // Lord Howe
    ]

    /// A schedule using a random mix of the syntax: stars, steps, ranges, lists, names and macros.
    private static func schedule(_ generator: inout SplitMix64) -> String {
        if generator.below(10) == 0 {
            return generator.pick(["@hourly", "@daily", "@weekly", "@monthly", "@yearly", "@midnight", "@annually"])
        }
        let minute = field(&generator, 0...59, names: nil)
        let hour = field(&generator, 0...23, names: nil)
        let day = generator.below(3) == 0 ? field(&generator, 1...31, names: nil) : "*"
        let month = generator.below(4) == 0 ? field(&generator, 1...12, names: ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]) : "*"
        let weekday = generator.below(3) == 0 ? field(&generator, 0...6, names: ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]) : "*"
        return "\(minute) \(hour) \(day) \(month) \(weekday)"
    }

    private static func field(_ generator: inout SplitMix64, _ bounds: ClosedRange<Int>, names: [String]?) -> String {
        func value() -> String {
            let number = generator.number(bounds)
            if let names, generator.below(2) == 0 { return names[number - bounds.lowerBound] }
            return "\(number)"
        }
        switch generator.below(7) {
        case 0: return "*"
        case 1: return "*/\(generator.number(2...max(2, bounds.count / 2)))"
        case 2: return value()
        case 3:
            let low = generator.number(bounds.lowerBound...bounds.upperBound - 1)
            return "\(low)-\(generator.number(low + 1...bounds.upperBound))"
        case 4:
            let low = generator.number(bounds.lowerBound...bounds.upperBound - 2)
            return "\(low)-\(bounds.upperBound)/\(generator.number(2...3))"
        case 5: return (0..<generator.number(2...4)).map { _ in value() }.joined(separator: ",")
        default: return "\(generator.number(bounds))/\(generator.number(2...max(2, bounds.count / 3)))"
        }
    }

    private static func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

    private static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
}
