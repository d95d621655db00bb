// JSONText: the one JSON string escaper, for the places that write JSON text by hand (the shell's
// json/jsonl output, the importer's datapackage.json): quotes, backslashes and control
// characters escaped, everything else (CJK included) written as is.

import Foundation

/// Writes text as JSON string content.
public enum JSONText {
    /// `s` as the inside of a JSON string (without the surrounding quotes).
    public static func escaped(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 { out += String(format: "\\u%04x", u.value) } else { out.unicodeScalars.append(u) }
            }
        }
        return out
    }

    /// `s` as a JSON string, quotes included.
    public static func quoted(_ s: String) -> String { "\"" + escaped(s) + "\"" }
}
