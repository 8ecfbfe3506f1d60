import Foundation
import Testing
import FluentKit
import EyesOnCore
import Store
import TestSupport

/// Setting up a real partnership's agencies on an empty database (`eyeson agencies add`).
@Suite("Adding agencies")
struct AgenciesTests {
    @Test("a school, a health organisation and children's social care are added with their identifiers, each audited", arguments: Engine.available)
    func adds(engine: Engine) async throws {
        try await withScratchStore(engine) { store in
            let db = store.db
            try await Agencies.add(key: "school-910001", name: "Eastbrook Primary (synthetic)", kind: .school, urn: " 910001 ", actor: "test", on: db)
            try await Agencies.add(key: "hv", name: "Health Visiting (synthetic)", kind: .healthOrganisation, odsCode: "z9h", postcode: "eb1 1aa", actor: "test", on: db)
            try await Agencies.add(key: "la-csc", name: "Children's Social Care (synthetic)", kind: .laChildrensSocialCare, laCode: "990", actor: "test", on: db)
            let school = try #require(try await Agency.query(on: db).filter(\.$key == "school-910001").first())
            #expect(school.urn == 910001 && school.kind == .school)
            let health = try #require(try await Agency.query(on: db).filter(\.$key == "hv").first())
            #expect(health.odsCode == "Z9H" && health.postcode == "EB1 1AA")
            #expect(try await Agency.query(on: db).filter(\.$key == "la-csc").first()?.laCode == "990")
            let audited = try await AuditEvent.query(on: db).filter(\.$action == AuditAction.settingChanged.rawValue).all().map(\.detail)
            #expect(audited.contains("agency school-910001 added: Eastbrook Primary (synthetic) (School, URN 910001)"), "\(audited)")
            #expect(audited.count == 3)
        }
    }

    @Test("a wrong or clashing value is refused naming its option, and nothing is written", arguments: Engine.available)
    func refuses(engine: Engine) async throws {
        try await withScratchStore(engine) { store in
            let db = store.db
            try await Agencies.add(key: "school-910001", name: "Eastbrook Primary (synthetic)", kind: .school, urn: "910001", actor: "test", on: db)
            try await Agencies.add(key: "hv", name: "Health Visiting (synthetic)", kind: .healthOrganisation, odsCode: "Z9H", actor: "test", on: db)
            let before = try await Agency.query(on: db).count()
            let audit = try await AuditEvent.query(on: db).count()
            let cases: [(String, @Sendable () async throws -> Void)] = [
                ("--key", { try await Agencies.add(key: "School 1", name: "A", kind: .other, actor: "t", on: db) }),
                ("--key", { try await Agencies.add(key: "-x", name: "A", kind: .other, actor: "t", on: db) }),
                ("--key", { try await Agencies.add(key: "hv", name: "Another", kind: .other, actor: "t", on: db) }),
                ("--name", { try await Agencies.add(key: "x1", name: "Two\nlines", kind: .other, actor: "t", on: db) }),
                ("--name", { try await Agencies.add(key: "x1", name: "  ", kind: .other, actor: "t", on: db) }),
                ("--urn", { try await Agencies.add(key: "x1", name: "A school", kind: .school, actor: "t", on: db) }),
                ("--urn", { try await Agencies.add(key: "x1", name: "A school", kind: .school, urn: "01234", actor: "t", on: db) }),
                ("--urn", { try await Agencies.add(key: "x1", name: "A school", kind: .school, urn: "910001", actor: "t", on: db) }),
                ("--ods", { try await Agencies.add(key: "x1", name: "A practice", kind: .healthOrganisation, actor: "t", on: db) }),
                ("--ods", { try await Agencies.add(key: "x1", name: "A practice", kind: .healthOrganisation, odsCode: "Z9-H", actor: "t", on: db) }),
                ("--ods", { try await Agencies.add(key: "x1", name: "A practice", kind: .healthOrganisation, odsCode: "z9h", actor: "t", on: db) }),
                ("--la-code", { try await Agencies.add(key: "x1", name: "CSC", kind: .laChildrensSocialCare, laCode: "99", actor: "t", on: db) }),
                ("--postcode", { try await Agencies.add(key: "x1", name: "A", kind: .other, postcode: "<script>", actor: "t", on: db) }),
            ]
            for (field, attempt) in cases {
                let error = await #expect(throws: Agencies.Invalid.self) { try await attempt() }
                #expect(error?.field == field, "\(String(describing: error))")
            }
            #expect(try await Agency.query(on: db).count() == before)
            #expect(try await AuditEvent.query(on: db).count() == audit)
        }
    }
}
