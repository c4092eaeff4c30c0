using System.Globalization;
using System.Text;
using Mandate.Cedar.Ast;
using Mandate.Cedar.Formatting;

namespace Mandate.Cedar.Validation;

/// <summary>
/// How user text appears inside validation messages, matching the reference implementation:
/// strings are quoted with every quote, backslash and non-printable character escaped
/// (<c>\'</c>, <c>\0</c>, <c>\u{84}</c>), so invisible characters stay visible.
/// </summary>
internal static class MessageText
{
    public static string Quote(string value)
    {
        var sb = new StringBuilder(value.Length + 2).Append('"');
        foreach (var rune in value.EnumerateRunes())
        {
            switch (rune.Value)
            {
                case '"': sb.Append("\\\""); break;
                case '\'': sb.Append("\\'"); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\0': sb.Append("\\0"); break;
                default:
                    if (IsPrintable(rune)) sb.Append(rune.ToString());
                    else sb.Append("\\u{").Append(rune.Value.ToString("x", CultureInfo.InvariantCulture)).Append('}');
                    break;
            }
        }
        return sb.Append('"').ToString();
    }

    /// <summary>An expression as it appears in a message: string literals quoted as above.</summary>
    public static string Expression(Expr e) => e is StringLiteral s ? Quote(s.Value) : PolicyFormatter.Expression(e);

    private static bool IsPrintable(Rune rune)
    {
        if (rune.Value == ' ') return true;
        return Rune.GetUnicodeCategory(rune) switch
        {
            UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse
                or UnicodeCategory.OtherNotAssigned or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
                or UnicodeCategory.SpaceSeparator => false,
            _ => true,
        };
    }
}
