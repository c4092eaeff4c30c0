using System.Globalization;
using System.Text;

namespace Mandate.Cedar.Schema;

// The tokens and the cursor over them: the lexer (identifiers, strings with Cedar escapes, punctuation,
// `//` comments), and the Peek/Next/Expect helpers that turn a wrong token into a SyntaxError.
internal sealed partial class HumanSchemaParser
{
    private enum Kind { Ident, String, Punct, End }

    private readonly record struct Token(Kind Kind, string Text, SchemaPos Pos);

    private Token Peek => _tokens[_index];

    private Token Next() => _tokens[_index < _tokens.Count - 1 ? _index++ : _index];

    private bool IsPunct(string p) => Peek.Kind == Kind.Punct && Peek.Text == p;

    private bool IsKeyword(string k) => Peek.Kind == Kind.Ident && Peek.Text == k;

    private Token Expect(string p)
    {
        if (!IsPunct(p)) throw Error($"expected `{p}`, found {Describe(Peek)}");
        return Next();
    }

    private Token ExpectIdent()
    {
        if (Peek.Kind != Kind.Ident) throw Error($"expected an identifier, found {Describe(Peek)}");
        return Next();
    }

    private Token ExpectName()
    {
        if (Peek.Kind is not (Kind.Ident or Kind.String)) throw Error($"expected a name, found {Describe(Peek)}");
        return Next();
    }

    private static string Describe(Token t) => t.Kind switch
    {
        Kind.End => "end of input",
        Kind.String => "a string",
        _ => $"`{t.Text}`",
    };

    private SyntaxError Error(string message) => new(message, Peek.Pos);

    private static List<Token> Lex(string text)
    {
        var tokens = new List<Token>();
        int i = 0, line = 1, lineStart = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '\n')
            {
                i++;
                line++;
                lineStart = i;
                continue;
            }
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }
            var pos = new SchemaPos(line, i - lineStart + 1);
            if (c == '/' && i + 1 < text.Length && text[i + 1] == '/')
            {
                while (i < text.Length && text[i] != '\n') i++;
                continue;
            }
            if (c == '_' || char.IsAsciiLetter(c))
            {
                var start = i;
                while (i < text.Length && (text[i] == '_' || char.IsAsciiLetterOrDigit(text[i]))) i++;
                tokens.Add(new Token(Kind.Ident, text[start..i], pos));
                continue;
            }
            if (c == '"')
            {
                tokens.Add(new Token(Kind.String, LexString(text, ref i, ref line, ref lineStart, pos), pos));
                continue;
            }
            if (c == ':' && i + 1 < text.Length && text[i + 1] == ':')
            {
                tokens.Add(new Token(Kind.Punct, "::", pos));
                i += 2;
                continue;
            }
            if ("{}[]<>(),;:=?@".Contains(c))
            {
                tokens.Add(new Token(Kind.Punct, c.ToString(), pos));
                i++;
                continue;
            }
            throw new SyntaxError($"unexpected character `{c}`", pos);
        }
        tokens.Add(new Token(Kind.End, "", new SchemaPos(line, i - lineStart + 1)));
        return tokens;
    }

    private static string LexString(string text, ref int i, ref int line, ref int lineStart, SchemaPos pos)
    {
        var sb = new StringBuilder();
        i++; // opening quote
        while (true)
        {
            if (i >= text.Length) throw new SyntaxError("unterminated string", pos);
            var c = text[i++];
            if (c == '"') return sb.ToString();
            if (c == '\n')
            {
                line++;
                lineStart = i;
            }
            if (c != '\\')
            {
                sb.Append(c);
                continue;
            }
            if (i >= text.Length) throw new SyntaxError("unterminated string", pos);
            var e = text[i++];
            switch (e)
            {
                case 'n': sb.Append('\n'); break;
                case 'r': sb.Append('\r'); break;
                case 't': sb.Append('\t'); break;
                case '0': sb.Append('\0'); break;
                case '\\': sb.Append('\\'); break;
                case '"': sb.Append('"'); break;
                case '\'': sb.Append('\''); break;
                case 'u':
                    {
                        if (i >= text.Length || text[i] != '{') throw new SyntaxError("invalid unicode escape: expected `\\u{...}`", pos);
                        var close = text.IndexOf('}', i);
                        if (close < 0 || close - i - 1 is < 1 or > 6) throw new SyntaxError("invalid unicode escape", pos);
                        var hex = text[(i + 1)..close];
                        if (!int.TryParse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var cp)
                            || cp > 0x10FFFF || cp is >= 0xD800 and <= 0xDFFF)
                        {
                            throw new SyntaxError($"invalid unicode escape `\\u{{{hex}}}`", pos);
                        }
                        sb.Append(char.ConvertFromUtf32(cp));
                        i = close + 1;
                        break;
                    }
                default:
                    throw new SyntaxError($"invalid escape `\\{e}` in string", pos);
            }
        }
    }
}
