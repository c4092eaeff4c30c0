using System.Text;
using System.Text.RegularExpressions;

namespace Mandate.Architecture.Tests;

/// <summary>
/// C# source with comments and the contents of string and character literals blanked out, except what the
/// compiler binds as code: interpolation holes and the <c>cref</c>s of doc comments. Every character keeps its
/// offset and newlines stay, so a match in the result has the line it has in the source. Used by
/// <see cref="FolderDependencyGraph"/> so that <c>"text/*"</c> opens no comment and a message that spells a
/// namespace is no dependency. BCL only.
/// </summary>
public static class CSharpCodeText
{
    private static readonly Regex Cref = new("""cref\s*=\s*"([^"]*)"|cref\s*=\s*'([^']*)'""", RegexOptions.Compiled);

    /// <summary>The code of <paramref name="source"/>, same length, with comments and literal contents as spaces.</summary>
    public static string Of(string source)
    {
        var output = new StringBuilder(source.Length);
        var i = 0;
        Code(source, ref i, output, inHole: false);
        return output.ToString();
    }

    // Copies code to the end of the text or, in an interpolation hole, up to the '}' that closes the hole.
    private static void Code(string s, ref int i, StringBuilder o, bool inHole)
    {
        var depth = 0; // braces opened inside the hole (lambdas, initializers)
        while (i < s.Length)
        {
            var c = s[i];
            if (c == '/' && At(s, i + 1, '/'))
            {
                var end = s.IndexOf('\n', i);
                end = end < 0 ? s.Length : end;
                var start = o.Length;
                Blank(s, i, end, o);
                if (At(s, i + 2, '/'))
                {
                    // Doc comment: keep each cref where it stands, the rest is prose.
                    foreach (Match m in Cref.Matches(s[i..end]))
                    {
                        var value = m.Groups[1].Success ? m.Groups[1] : m.Groups[2];
                        o.Remove(start + value.Index, value.Length).Insert(start + value.Index, value.Value);
                    }
                }

                i = end;
            }
            else if (c == '/' && At(s, i + 1, '*'))
            {
                var end = s.IndexOf("*/", i + 2, StringComparison.Ordinal);
                end = end < 0 ? s.Length : end + 2;
                Blank(s, i, end, o);
                i = end;
            }
            else if (c == '\'')
            {
                var end = i + 1;
                while (end < s.Length && s[end] != '\'' && s[end] != '\n')
                {
                    end += s[end] == '\\' ? 2 : 1;
                }

                end = Math.Min(end + 1, s.Length);
                Blank(s, i, end, o);
                i = end;
            }
            else if (IsStringStart(s, i))
            {
                StringLiteral(s, ref i, o);
            }
            else
            {
                if (inHole && c == '{')
                {
                    depth++;
                }
                else if (inHole && c == '}')
                {
                    if (depth == 0)
                    {
                        return;
                    }

                    depth--;
                }

                o.Append(c);
                i++;
            }
        }
    }

    // A string literal starts with '"' after any '$' and '@' prefixes ("…", @"…", $"…", $@"…", """…""", $$"""…""").
    private static bool IsStringStart(string s, int i)
    {
        var j = i;
        while (j < s.Length && s[j] is '$' or '@')
        {
            j++;
        }

        return At(s, j, '"');
    }

    private static void StringLiteral(string s, ref int i, StringBuilder o)
    {
        var start = i;
        var dollars = 0;
        var verbatim = false;
        while (s[i] is '$' or '@')
        {
            dollars += s[i] == '$' ? 1 : 0;
            verbatim |= s[i] == '@';
            i++;
        }

        var quotes = Run(s, i, '"');
        var raw = quotes >= 3;
        i += raw ? quotes : 1;
        Blank(s, start, i, o);
        while (i < s.Length)
        {
            var c = s[i];
            if (raw && c == '"' && Run(s, i, '"') >= quotes)
            {
                Blank(s, i, i + quotes, o);
                i += quotes;
                return;
            }

            if (!raw && c == '"')
            {
                var escaped = verbatim && At(s, i + 1, '"');
                Blank(s, i, escaped ? i + 2 : i + 1, o);
                i += escaped ? 2 : 1;
                if (!escaped)
                {
                    return;
                }

                continue;
            }

            if (!raw && !verbatim && c == '\\')
            {
                var end = Math.Min(i + 2, s.Length);
                Blank(s, i, end, o);
                i = end;
                continue;
            }

            if (!raw && !verbatim && c == '\n')
            {
                return; // unterminated: let the code go on from the next line
            }

            var braces = dollars > 0 && c == '{' ? Run(s, i, '{') : 0;
            var opensHole = raw ? braces >= dollars : braces == 1;
            if (dollars > 0 && braces > 0 && opensHole)
            {
                // The last `dollars` braces open the hole (raw); in a regular string "{{" is a literal brace.
                Blank(s, i, i + braces, o);
                i += braces;
                Code(s, ref i, o, inHole: true);
                var closing = Math.Min(Run(s, i, '}'), raw ? dollars : 1);
                Blank(s, i, i + closing, o);
                i += closing;
                continue;
            }

            var width = braces > 0 ? braces : 1;
            Blank(s, i, i + width, o);
            i += width;
        }
    }

    private static int Run(string s, int i, char c)
    {
        var n = 0;
        while (i + n < s.Length && s[i + n] == c)
        {
            n++;
        }

        return n;
    }

    private static bool At(string s, int i, char c) => i < s.Length && s[i] == c;

    private static void Blank(string s, int from, int to, StringBuilder o)
    {
        for (var k = from; k < to; k++)
        {
            o.Append(s[k] == '\n' ? '\n' : ' ');
        }
    }
}
