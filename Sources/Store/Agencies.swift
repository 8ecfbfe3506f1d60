import Foundation
import FluentKit
import EyesOnCore

/// The partnership's agencies, as an administrator sets them up on a new database
/// (`eyeson agencies add`): each with the identifier its files carry, checked, so that a school's
/// attendance (URN), a health organisation's caseloads (ODS code) and the council's CIN census (LA
/// code) find the agency they come from.
public enum Agencies {
    public struct Invalid: Error, CustomStringConvertible, Sendable, Equatable {
        /// The option at fault, as the command names it (`--urn`).
        public let field: String
        public let message: String
        public var description: String { "\(field): \(message)" }
    }

    /// Adds an agency, audited; nothing is written when anything is wrong.
    ///
    /// - `key`: how files, the API and `eyeson user add --agency` name it: 2 to 64 lower-case
    ///   letters, digits and hyphens, unique.
    /// - `urn`: required for a school, nursery or college (its attendance is matched by it); a
    ///   valid URN, not another agency's.
    /// - `odsCode`: required for a health organisation (its caseload rows carry it); valid, unique.
    /// - `laCode`: the three-digit DfE code, for children's social care (a CIN census from another
    ///   authority is then refused).
    @discardableResult
    public static func add(key: String, name: String, kind: AgencyKind, urn: String? = nil, odsCode: String? = nil, laCode: String? = nil,
                           postcode: String? = nil, actor: String, on db: any Database) async throws -> Agency {
        let key = key.trimmingCharacters(in: .whitespaces)
        guard (2...64).contains(key.count), key.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }),
              key.first != "-", key.last != "-" else {
            throw Invalid(field: "--key", message: "'\(key)' must be 2 to 64 lower-case letters, digits and hyphens (e.g. school-910001)")
        }
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, name.count <= 200, !name.unicodeScalars.contains(where: { CharacterSet.controlCharacters.contains($0) }) else {
            throw Invalid(field: "--name", message: "must be 1 to 200 characters on one line")
        }
        var checkedURN: Int?
        if let urn = urn?.trimmingCharacters(in: .whitespaces), !urn.isEmpty {
            do { checkedURN = try URN(urn).value } catch { throw Invalid(field: "--urn", message: error.reason) }
        } else if [.school, .nursery, .college].contains(kind) {
            throw Invalid(field: "--urn", message: "a \(kind.title.lowercased()) needs its URN: its attendance and roll are matched by it")
        }
        var checkedODS: String?
        if let ods = odsCode?.trimmingCharacters(in: .whitespaces), !ods.isEmpty {
            do { checkedODS = try ODSCode(ods).value } catch { throw Invalid(field: "--ods", message: error.reason) }
        } else if kind == .healthOrganisation {
            throw Invalid(field: "--ods", message: "a health organisation needs its ODS code: its caseload rows carry it")
        }
        var checkedLA: String?
        if let la = laCode?.trimmingCharacters(in: .whitespaces), !la.isEmpty {
            guard la.count == 3, la.allSatisfy(\.isASCII), la.allSatisfy(\.isNumber) else {
                throw Invalid(field: "--la-code", message: "'\(la)' is not a three-digit DfE local authority code")
            }
            checkedLA = la
        }
        var checkedPostcode: String?
        if let postcode = postcode?.trimmingCharacters(in: .whitespaces), !postcode.isEmpty {
            do { checkedPostcode = try Postcode(postcode).normalised } catch { throw Invalid(field: "--postcode", message: error.reason) }
        }
        let (urn, ods, la, postcode) = (checkedURN, checkedODS, checkedLA, checkedPostcode)
        return try await db.writeTransaction { tx in
            if let other = try await Agency.query(on: tx).filter(\.$key == key).first() {
                throw Invalid(field: "--key", message: "'\(key)' is already \(other.name)")
            }
            if let urn, let other = try await Agency.query(on: tx).filter(\.$urn == urn).first() {
                throw Invalid(field: "--urn", message: "\(urn) is already \(other.name) (\(other.key))")
            }
            if let ods, let other = try await Agency.query(on: tx).filter(\.$odsCode == ods).first() {
                throw Invalid(field: "--ods", message: "\(ods) is already \(other.name) (\(other.key))")
            }
            let agency = Agency(key: key, name: name, kind: kind, urn: urn, odsCode: ods, postcode: postcode)
            agency.laCode = la
            try await agency.create(on: tx)
            try await AuditLog.record(.settingChanged, on: tx, actor: actor,
                                      detail: "agency \(key) added: \(name) (\(kind.title)\(urn.map { ", URN \($0)" } ?? "")\(ods.map { ", ODS \($0)" } ?? "")\(la.map { ", LA \($0)" } ?? ""))")
            return agency
        }
    }
}
