using Mandate.Cedar.Diagnostics;

namespace Mandate.Cedar.Syntax;

/// <summary>
/// Splits Cedar text into tokens in one linear pass. Problems (stray characters, unterminated
/// strings) are reported to the sink and leave an <see cref="TokenKind.Error"/> token behind, so
/// the parser can go on and report later errors too.
/// </summary>
internal static class Lexer
{
    /// <param name="text">Source text.</param>
    /// <param name="sink">Receives lexical errors.</param>
    /// <param name="comments">When given, receives the span of every <c>//</c> comment (for the formatter).</param>
    public static List<Token> Tokenize(string text, DiagnosticSink sink, List<(int Start, int End)>? comments = null)
    {
        var tokens = new List<Token>(Math.Max(16, text.Length / 4));
        var i = 0;
        var n = text.Length;
        while (i < n)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c)) { i++; continue; }
            if (c == '/' && i + 1 < n && text[i + 1] == '/')
            {
                var commentStart = i;
                while (i < n && text[i] != '\n' && text[i] != '\r') i++;
                comments?.Add((commentStart, i));
                continue;
            }
            var start = i;
            if (IsIdentStart(c))
            {
                i++;
                while (i < n && IsIdentPart(text[i])) i++;
                tokens.Add(new Token(TokenKind.Ident, start, i));
                continue;
            }
            if (c is >= '0' and <= '9')
            {
                i++;
                while (i < n && text[i] is >= '0' and <= '9') i++;
                tokens.Add(new Token(TokenKind.Int, start, i));
                continue;
            }
            switch (c)
            {
                case '"':
                    i = ScanString(text, i, sink, tokens);
                    continue;
                case '?':
                    i++;
                    while (i < n && IsIdentPart(text[i])) i++;
                    var slot = text.AsSpan(start, i - start);
                    if (slot is "?principal" or "?resource")
                    {
                        tokens.Add(new Token(TokenKind.Slot, start, i));
                    }
                    else
                    {
                        sink.Add(DiagnosticCodes.InvalidSlot,
                            $"invalid template slot `{Clip(slot)}`; expected `?principal` or `?resource`", start, i);
                        tokens.Add(new Token(TokenKind.Error, start, i));
                    }
                    continue;
                case '(': tokens.Add(new Token(TokenKind.LParen, i, ++i)); continue;
                case ')': tokens.Add(new Token(TokenKind.RParen, i, ++i)); continue;
                case '{': tokens.Add(new Token(TokenKind.LBrace, i, ++i)); continue;
                case '}': tokens.Add(new Token(TokenKind.RBrace, i, ++i)); continue;
                case '[': tokens.Add(new Token(TokenKind.LBracket, i, ++i)); continue;
                case ']': tokens.Add(new Token(TokenKind.RBracket, i, ++i)); continue;
                case ',': tokens.Add(new Token(TokenKind.Comma, i, ++i)); continue;
                case ';': tokens.Add(new Token(TokenKind.Semicolon, i, ++i)); continue;
                case '.': tokens.Add(new Token(TokenKind.Dot, i, ++i)); continue;
                case '@': tokens.Add(new Token(TokenKind.At, i, ++i)); continue;
                case '+': tokens.Add(new Token(TokenKind.Plus, i, ++i)); continue;
                case '-': tokens.Add(new Token(TokenKind.Minus, i, ++i)); continue;
                case '*': tokens.Add(new Token(TokenKind.Star, i, ++i)); continue;
                case ':':
                    if (Next(text, i) == ':') { tokens.Add(new Token(TokenKind.ColonColon, i, i += 2)); }
                    else tokens.Add(new Token(TokenKind.Colon, i, ++i));
                    continue;
                case '=':
                    if (Next(text, i) == '=') { tokens.Add(new Token(TokenKind.EqEq, i, i += 2)); continue; }
                    sink.Add(DiagnosticCodes.InvalidCharacter, "unexpected character `=`; did you mean `==`?", i, i + 1);
                    tokens.Add(new Token(TokenKind.Error, i, ++i));
                    continue;
                case '!':
                    if (Next(text, i) == '=') tokens.Add(new Token(TokenKind.NotEq, i, i += 2));
                    else tokens.Add(new Token(TokenKind.Bang, i, ++i));
                    continue;
                case '<':
                    if (Next(text, i) == '=') tokens.Add(new Token(TokenKind.LessEq, i, i += 2));
                    else tokens.Add(new Token(TokenKind.Less, i, ++i));
                    continue;
                case '>':
                    if (Next(text, i) == '=') tokens.Add(new Token(TokenKind.GreaterEq, i, i += 2));
                    else tokens.Add(new Token(TokenKind.Greater, i, ++i));
                    continue;
                case '&':
                    if (Next(text, i) == '&') { tokens.Add(new Token(TokenKind.AndAnd, i, i += 2)); continue; }
                    sink.Add(DiagnosticCodes.InvalidCharacter, "unexpected character `&`; did you mean `&&`?", i, i + 1);
                    tokens.Add(new Token(TokenKind.Error, i, ++i));
                    continue;
                case '|':
                    if (Next(text, i) == '|') { tokens.Add(new Token(TokenKind.OrOr, i, i += 2)); continue; }
                    sink.Add(DiagnosticCodes.InvalidCharacter, "unexpected character `|`; did you mean `||`?", i, i + 1);
                    tokens.Add(new Token(TokenKind.Error, i, ++i));
                    continue;
            }
            if (c == '\'')
            {
                sink.Add(DiagnosticCodes.InvalidCharacter, "unexpected character `'`; Cedar strings use double quotes (`\"`)", i, i + 1);
                tokens.Add(new Token(TokenKind.Error, i, ++i));
                continue;
            }
            // Anything else: report it once, with the whole character (surrogate pairs included).
            var width = char.IsHighSurrogate(c) && i + 1 < n && char.IsLowSurrogate(text[i + 1]) ? 2 : 1;
            var shown = c < 0x20 || c == 0x7f ? $"\\u{{{(int)c:x}}}" : text.Substring(i, width);
            sink.Add(DiagnosticCodes.InvalidCharacter, $"unexpected character `{shown}`", i, i + width);
            tokens.Add(new Token(TokenKind.Error, i, i + width));
            i += width;
        }
        tokens.Add(new Token(TokenKind.Eof, n, n));
        return tokens;
    }

    private static int ScanString(string text, int start, DiagnosticSink sink, List<Token> tokens)
    {
        var i = start + 1;
        var n = text.Length;
        while (i < n)
        {
            var c = text[i];
            if (c == '"')
            {
                tokens.Add(new Token(TokenKind.String, start, i + 1));
                return i + 1;
            }
            i += c == '\\' ? 2 : 1;
        }
        sink.Add(DiagnosticCodes.UnterminatedString, "unterminated string literal", start, start + 1);
        tokens.Add(new Token(TokenKind.Error, start, n));
        return n;
    }

    private static char Next(string text, int i) => i + 1 < text.Length ? text[i + 1] : '\0';

    public static bool IsIdentStart(char c) => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or '_';

    public static bool IsIdentPart(char c) => IsIdentStart(c) || c is >= '0' and <= '9';

    /// <summary>Shortens user text quoted in a message so a 10 MB token does not become a 10 MB message.</summary>
    public static string Clip(ReadOnlySpan<char> s) => s.Length <= 40 ? s.ToString() : string.Concat(s[..37], "...");
}
