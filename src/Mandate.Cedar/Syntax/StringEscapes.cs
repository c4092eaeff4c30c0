using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Mandate.Cedar.Ast;

namespace Mandate.Cedar.Syntax;

/// <summary>
/// Cedar's string escapes: <c>\n \r \t \\ \0 \' \"</c>, <c>\xHH</c> (ASCII only, at most <c>\x7f</c>)
/// and <c>\u{H…}</c> (1–6 hex digits, a Unicode scalar value). In a <c>like</c> pattern <c>\*</c> is
/// also allowed and means a literal star, while a bare <c>*</c> is a wildcard.
/// </summary>
internal static class StringEscapes
{
    /// <summary>An escape problem: offset into the source text and a message.</summary>
    public readonly record struct EscapeError(int Offset, int Length, string Message);

    /// <summary>
    /// Unescapes the body of a string token (without its quotes) that starts at
    /// <paramref name="bodyOffset"/> in the source.
    /// </summary>
    public static string? Unescape(ReadOnlySpan<char> body, int bodyOffset, out EscapeError? error)
    {
        error = null;
        if (body.IndexOf('\\') < 0) return body.ToString();
        var sb = new StringBuilder(body.Length);
        var i = 0;
        while (i < body.Length)
        {
            var c = body[i];
            if (c != '\\') { sb.Append(c); i++; continue; }
            if (!TryEscape(body, ref i, sb, bodyOffset, allowStar: false, out error)) return null;
        }
        return sb.ToString();
    }

    /// <summary>Unescapes a <c>like</c> pattern body into literal runs and wildcards.</summary>
    public static LikePattern? UnescapePattern(ReadOnlySpan<char> body, int bodyOffset, out EscapeError? error)
    {
        error = null;
        var parts = ImmutableArray.CreateBuilder<LikePatternPart>();
        var sb = new StringBuilder();
        var i = 0;
        while (i < body.Length)
        {
            var c = body[i];
            if (c == '*')
            {
                Flush();
                parts.Add(LikePatternPart.Wildcard);
                i++;
                continue;
            }
            if (c != '\\') { sb.Append(c); i++; continue; }
            if (!TryEscape(body, ref i, sb, bodyOffset, allowStar: true, out error)) return null;
        }
        Flush();
        return new LikePattern(parts.ToImmutable());

        void Flush()
        {
            if (sb.Length == 0) return;
            parts.Add(LikePatternPart.Literal(sb.ToString()));
            sb.Clear();
        }
    }

    private static bool TryEscape(ReadOnlySpan<char> body, ref int i, StringBuilder sb, int bodyOffset, bool allowStar,
        out EscapeError? error)
    {
        error = null;
        var at = i;
        if (i + 1 >= body.Length)
        {
            error = new EscapeError(bodyOffset + at, 1, "invalid escape `\\` at the end of a string");
            return false;
        }
        var e = body[i + 1];
        switch (e)
        {
            case 'n': sb.Append('\n'); i += 2; return true;
            case 'r': sb.Append('\r'); i += 2; return true;
            case 't': sb.Append('\t'); i += 2; return true;
            case '\\': sb.Append('\\'); i += 2; return true;
            case '0': sb.Append('\0'); i += 2; return true;
            case '\'': sb.Append('\''); i += 2; return true;
            case '"': sb.Append('"'); i += 2; return true;
            case '*' when allowStar: sb.Append('*'); i += 2; return true;
            case 'x':
            {
                if (i + 4 <= body.Length && IsHex(body[i + 2]) && IsHex(body[i + 3]))
                {
                    var v = int.Parse(body.Slice(i + 2, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                    if (v <= 0x7f)
                    {
                        sb.Append((char)v);
                        i += 4;
                        return true;
                    }
                }
                var len = Math.Min(4, body.Length - i);
                error = new EscapeError(bodyOffset + at, len,
                    $"invalid escape `{body.Slice(i, len)}`; `\\x` takes two hex digits up to `7f`");
                return false;
            }
            case 'u':
            {
                var close = i + 2 < body.Length && body[i + 2] == '{' ? body[(i + 3)..].IndexOf('}') : -1;
                if (close >= 1 && close <= 6)
                {
                    var digits = body.Slice(i + 3, close);
                    if (int.TryParse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var cp) &&
                        cp <= 0x10FFFF && cp is < 0xD800 or > 0xDFFF)
                    {
                        sb.Append(char.ConvertFromUtf32(cp));
                        i += 3 + close + 1;
                        return true;
                    }
                }
                var len = close >= 0 ? Math.Min(3 + close + 1, 16) : Math.Min(3, body.Length - i);
                error = new EscapeError(bodyOffset + at, len,
                    $"invalid escape `{Lexer.Clip(body.Slice(i, Math.Min(len, body.Length - i)))}`; expected `\\u{{…}}` with 1 to 6 hex digits naming a Unicode scalar value");
                return false;
            }
            default:
            {
                var len = char.IsHighSurrogate(e) && i + 2 < body.Length ? 3 : 2;
                error = new EscapeError(bodyOffset + at, len, $"invalid escape `{body.Slice(i, len)}`");
                return false;
            }
        }
    }

    private static bool IsHex(char c) => c is (>= '0' and <= '9') or (>= 'a' and <= 'f') or (>= 'A' and <= 'F');
}
