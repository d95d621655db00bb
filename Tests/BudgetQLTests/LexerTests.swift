// LexerTests: tokens with their UTF-8 byte ranges, Chinese IME punctuation read as ASCII,
// number suffixes (万/亿/元/%), strings and escapes, comments, and lexical errors.

import BudgetQL
import Testing

@Suite struct LexerTests {
    /// Kind, value and byte range of every token but the final `.end`.
    func tokens(_ s: String) throws -> [(TokenKind, String, Int, Int)] {
        try Lexer.tokenize(s).dropLast().map { ($0.kind, $0.value, $0.range.start, $0.range.end) }
    }

    @Test func asciiTokensCarryByteRanges() throws {
        let t = try tokens("projects | where amount >= 100")
        #expect(t.map(\.0) == [.identifier, .symbol, .identifier, .identifier, .symbol, .number])
        #expect(t.map(\.1) == ["projects", "|", "where", "amount", ">=", "100"])
        #expect(t.map { [$0.2, $0.3] } == [[0, 8], [9, 10], [11, 16], [17, 23], [24, 26], [27, 30]])
    }

    @Test func chineseNamesAreIdentifiersWithByteRanges() throws {
        let t = try tokens("项目 | where 金额 > 1")
        #expect(t.map(\.1) == ["项目", "|", "where", "金额", ">", "1"])
        // 项目 is 6 bytes; 金额 starts after "项目 | where " = 6 + 1 + 1 + 1 + 5 + 1 bytes.
        #expect(t[0].2 == 0 && t[0].3 == 6)
        #expect(t[3].2 == 15 && t[3].3 == 21)
    }

    @Test func imePunctuationReadsAsAscii() throws {
        let t = try tokens("项目｜where（金额 ＞ 1，金额 ≥ 2，金额 ≤ 3，金额 ≠ 4，金额 ＝ 5，名称 ～ “医”）")
        let symbols = t.filter { $0.0 == .symbol }.map(\.1)
        #expect(symbols == ["|", "(", ">", ",", ">=", ",", "<=", ",", "!=", ",", "=", ",", "~", ")"])
        // Full-width symbols are 3 bytes each; the range covers the original bytes.
        let bar = t[1]
        #expect(bar.1 == "|" && bar.3 - bar.2 == 3)
        // “…” is a string.
        #expect(t.contains { $0.0 == .string && $0.1 == "医" })
    }

    @Test func fullWidthComparisonPairs() throws {
        #expect(try tokens("a ＞＝ 1").map(\.1) == ["a", ">=", "1"])
        #expect(try tokens("a ＜＞ 1").map(\.1) == ["a", "!=", "1"])
        #expect(try tokens("a == 1").map(\.1) == ["a", "=", "1"])
        #expect(try tokens("a ！＝ 1").map(\.1) == ["a", "!=", "1"])
        #expect(try tokens("a =~ \"x\" ^= \"y\" !~ \"z\"").filter { $0.0 == .symbol }.map(\.1) == ["=~", "^=", "!~"])
    }

    @Test func ideographicSpaceIsWhitespace() throws {
        #expect(try tokens("项目\u{3000}|\u{3000}take\u{3000}1").map(\.1) == ["项目", "|", "take", "1"])
    }

    @Test func numberSuffixes() throws {
        let t = try tokens("1万 2亿 5000元 3万元 1.5亿元 95% 1_000 .5")
        #expect(t.allSatisfy { $0.0 == .number })
        #expect(t.map(\.1) == ["1万", "2亿", "5000元", "3万元", "1.5亿元", "95%", "1000", ".5"])
        // 1.5亿元 covers 3 + 3 + 3 bytes.
        #expect(t[4].3 - t[4].2 == 9)
    }

    @Test func moneyLiteralsAreNormalisedToWanYuan() throws {
        func value(_ s: String) throws -> Expr.Kind { try Parser.parseExpression(try Lexer.tokenize(s)).kind }
        #expect(try value("1万") == .number(ExactDecimal(1), .money))
        #expect(try value("1亿") == .number(ExactDecimal(10000), .money))
        #expect(try value("5000元") == .number(ExactDecimal("0.5")!, .money))
        #expect(try value("1.5亿元") == .number(ExactDecimal(15000), .money))
        #expect(try value("3万元") == .number(ExactDecimal(3), .money))
        #expect(try value("95%") == .number(ExactDecimal(95), .percent))
        #expect(try value("12.50") == .number(ExactDecimal("12.50")!, .plain))
    }

    @Test func stringsQuotesAndEscapes() throws {
        let t = try tokens(#""a\"b" 'it\'s' “中” ‘文’ 「字」 "\t\n" "\u4E2D\u{1F600}""#)
        #expect(t.map(\.1) == ["a\"b", "it's", "中", "文", "字", "\t\n", "中😀"])
        #expect(t.allSatisfy { $0.0 == .string })
    }

    @Test func badUnicodeEscapeIsInvalidCharacter() {
        #expect(throws: QueryError.self) { try Lexer.tokenize(#""\u12""#) }
        do { _ = try Lexer.tokenize(#"x = "\u{110000}""#) } catch { #expect(error.kind == "invalid-character") }
    }

    @Test func commentsAndNewlines() throws {
        let t = try tokens("projects # a comment\n| take 1 // another\n")
        #expect(t.map(\.1) == ["projects", "\n", "|", "take", "1", "\n"])
        // Line breaks inside brackets are not statement breaks.
        #expect(try tokens("f(\n1)").map(\.1) == ["f", "(", "1", ")"])
    }

    @Test func parametersAndBackquotedNames() throws {
        let t = try tokens("$min `my name` ＄部门")
        #expect(t.map(\.0) == [.parameter, .identifier, .parameter])
        #expect(t.map(\.1) == ["min", "my name", "部门"])
    }

    @Test func lexicalErrors() {
        func kind(_ s: String) -> String? {
            do {
                _ = try Lexer.tokenize(s)
                return nil
            } catch { return error.kind }
        }
        #expect(kind("a @ b") == "invalid-character")
        #expect(kind("a ! b") == "invalid-character")
        #expect(kind("12abc") == "invalid-number")
        #expect(kind("1.2.3") == "invalid-number")
        #expect(kind("\"open") == "incomplete")
        #expect(kind("`open") == "incomplete")
        #expect(kind("$ x") == "syntax")
    }

    @Test func unclosedStringRangeCoversTheRest() {
        do {
            _ = try Lexer.tokenize("a = \"医保")
            Issue.record("expected an error")
        } catch {
            #expect(error.isIncomplete)
            #expect(error.range == SourceRange(4, 11))
        }
    }

    @Test func invalidUTF8Bytes() {
        for bytes: [UInt8] in [
            [0x61, 0xFF, 0x62], [0xE4, 0xB8], [0xC0, 0x80], [0xE4, 0x41, 0x41], [0xF5, 0x80, 0x80, 0x80],
        ] {
            do {
                _ = try Lexer.tokenize(bytes: bytes)
                Issue.record("expected invalid UTF-8 for \(bytes)")
            } catch {
                #expect(error.kind == "invalid-utf8")
                #expect(error.range.start <= bytes.count)
            }
        }
        do {
            _ = try Lexer.tokenize(bytes: [0x61, 0xFF])
        } catch {
            #expect(error.range == SourceRange(1, 2))
            #expect(error.message == "invalid UTF-8 in the query: expected UTF-8 text")
        }
    }

    @Test func validUTF8BytesTokenize() throws {
        let t = try Lexer.tokenize(bytes: Array("项目 | take 1".utf8))
        #expect(t.map(\.value) == ["项目", "|", "take", "1", ""])
    }
}
