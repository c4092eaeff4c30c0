using System.Globalization;
using System.Text;
using Mandate.Cedar.Ast;

namespace Mandate.Cedar.Schema;

/// <summary>
/// Parses Cedar's human schema format (<c>.cedarschema</c>) into a <see cref="SchemaFragment"/>:
/// <c>namespace</c> blocks, <c>entity</c> (with <c>in</c>, shape, <c>tags</c>, <c>enum</c>),
/// <c>action</c> (with <c>in</c> and <c>appliesTo</c>), <c>type</c>, annotations and comments.
/// Stops at the first syntax error (the rest of the text cannot be trusted to mean anything).
/// </summary>
internal sealed class HumanSchemaParser
{
    private enum Kind { Ident, String, Punct, End }

    private readonly record struct Token(Kind Kind, string Text, SchemaPos Pos);

    private sealed class SyntaxError(string message, SchemaPos pos) : Exception(message)
    {
        public SchemaPos Pos { get; } = pos;
    }

    private const int MaxDepth = 200;
    private readonly List<Token> _tokens;
    private int _index;
    private int _depth;

    private HumanSchemaParser(List<Token> tokens) => _tokens = tokens;

    /// <summary>Parses <paramref name="text"/>; on failure returns null and one diagnostic.</summary>
    public static SchemaFragment? Parse(string text, string fileName, List<SchemaDiagnostic> diagnostics)
    {
        try
        {
            var parser = new HumanSchemaParser(Lex(text));
            return parser.ParseSchema();
        }
        catch (SyntaxError e)
        {
            diagnostics.Add(new SchemaDiagnostic(SchemaErrorCodes.Syntax, e.Message, fileName, e.Pos.Line, e.Pos.Column));
            return null;
        }
    }

    private SchemaFragment ParseSchema()
    {
        var namespaces = new List<NamespaceDecl>();
        NamespaceDecl? empty = null;
        while (Peek.Kind != Kind.End)
        {
            var annotations = ParseAnnotations();
            if (IsKeyword("namespace"))
            {
                var pos = Next().Pos;
                var name = ParsePath();
                Expect("{");
                var ns = new NamespaceDecl(name, [], [], [], annotations, pos);
                while (!IsPunct("}"))
                {
                    if (Peek.Kind == Kind.End) throw Error("expected `}` to close the namespace");
                    ParseDecl(ns, ParseAnnotations());
                }
                Next();
                namespaces.Add(ns);
            }
            else
            {
                if (empty is null)
                {
                    empty = new NamespaceDecl("", [], [], [], default, SchemaPos.None);
                    namespaces.Add(empty);
                }
                ParseDecl(empty, annotations);
            }
        }
        return new SchemaFragment(namespaces);
    }

    private void ParseDecl(NamespaceDecl ns, ValueList<Annotation> annotations)
    {
        var tok = Peek;
        if (IsKeyword("entity")) ParseEntity(ns, annotations);
        else if (IsKeyword("action")) ParseAction(ns, annotations);
        else if (IsKeyword("type")) ParseCommonType(ns, annotations);
        else throw Error($"unexpected token `{tok.Text}`: expected `entity`, `action`, `type` or `namespace`");
    }

    private void ParseEntity(NamespaceDecl ns, ValueList<Annotation> annotations)
    {
        Next();
        var names = new List<Token> { ExpectIdent() };
        while (IsPunct(","))
        {
            Next();
            names.Add(ExpectIdent());
        }
        List<string>? enumValues = null;
        var memberOf = new List<string>();
        TypeExpr? shape = null;
        TypeExpr? tags = null;
        if (IsKeyword("enum"))
        {
            Next();
            Expect("[");
            enumValues = [];
            while (!IsPunct("]"))
            {
                if (Peek.Kind != Kind.String) throw Error("expected a string in `enum`");
                enumValues.Add(Next().Text);
                if (!IsPunct(",")) break;
                Next();
            }
            Expect("]");
            if (enumValues.Count == 0) throw Error("an enumerated entity type needs at least one value");
        }
        else
        {
            if (IsKeyword("in"))
            {
                Next();
                memberOf.AddRange(ParseTypeList());
            }
            if (IsPunct("=")) Next();
            if (IsPunct("{")) shape = ParseRecordType();
            if (IsKeyword("tags"))
            {
                Next();
                tags = ParseType();
            }
        }
        Expect(";");
        foreach (var n in names)
        {
            ns.Entities.Add(new EntityDecl(n.Text, memberOf, shape, tags, enumValues, annotations, n.Pos));
        }
    }

    private void ParseAction(NamespaceDecl ns, ValueList<Annotation> annotations)
    {
        Next();
        var names = new List<Token> { ExpectName() };
        while (IsPunct(","))
        {
            Next();
            names.Add(ExpectName());
        }
        var memberOf = new List<ActionRefDecl>();
        AppliesToDecl? appliesTo = null;
        if (IsKeyword("in"))
        {
            Next();
            if (IsPunct("["))
            {
                Next();
                while (!IsPunct("]"))
                {
                    memberOf.Add(ParseActionRef());
                    if (!IsPunct(",")) break;
                    Next();
                }
                Expect("]");
            }
            else
            {
                memberOf.Add(ParseActionRef());
            }
        }
        if (IsKeyword("appliesTo"))
        {
            appliesTo = ParseAppliesTo();
        }
        Expect(";");
        foreach (var n in names)
        {
            ns.Actions.Add(new ActionDecl(n.Text, memberOf, appliesTo, annotations, n.Pos));
        }
    }

    private AppliesToDecl ParseAppliesTo()
    {
        var pos = Next().Pos;
        Expect("{");
        List<string>? principals = null, resources = null;
        TypeExpr? context = null;
        while (!IsPunct("}"))
        {
            var key = ExpectIdent();
            Expect(":");
            switch (key.Text)
            {
                case "principal" when principals is null: principals = ParseTypeList(); break;
                case "resource" when resources is null: resources = ParseTypeList(); break;
                case "context" when context is null: context = ParseType(); break;
                case "principal" or "resource" or "context":
                    throw new SyntaxError($"duplicate `{key.Text}` in `appliesTo`", key.Pos);
                default:
                    throw new SyntaxError($"unexpected `{key.Text}` in `appliesTo`: expected `principal`, `resource` or `context`", key.Pos);
            }
            if (!IsPunct(",")) break;
            Next();
        }
        Expect("}");
        if (principals is null) throw new SyntaxError("`appliesTo` is missing `principal`", pos);
        if (resources is null) throw new SyntaxError("`appliesTo` is missing `resource`", pos);
        return new AppliesToDecl(principals, resources, context, pos);
    }

    private ActionRefDecl ParseActionRef()
    {
        var pos = Peek.Pos;
        if (Peek.Kind == Kind.String) return new ActionRefDecl(null, Next().Text, pos);
        var first = ExpectIdent();
        if (!IsPunct("::")) return new ActionRefDecl(null, first.Text, pos);
        var path = new StringBuilder(first.Text);
        while (IsPunct("::"))
        {
            Next();
            if (Peek.Kind == Kind.String) return new ActionRefDecl(path.ToString(), Next().Text, pos);
            path.Append("::").Append(ExpectIdent().Text);
        }
        throw new SyntaxError("expected an action reference such as `Action::\"name\"`", pos);
    }

    private void ParseCommonType(NamespaceDecl ns, ValueList<Annotation> annotations)
    {
        Next();
        var name = ExpectIdent();
        Expect("=");
        var type = ParseType();
        Expect(";");
        ns.CommonTypes.Add(new CommonTypeDecl(name.Text, type, annotations, name.Pos));
    }

    private List<string> ParseTypeList()
    {
        var list = new List<string>();
        if (IsPunct("["))
        {
            Next();
            while (!IsPunct("]"))
            {
                list.Add(ParsePath());
                if (!IsPunct(",")) break;
                Next();
            }
            Expect("]");
        }
        else
        {
            list.Add(ParsePath());
        }
        return list;
    }

    private TypeExpr ParseType()
    {
        if (++_depth > MaxDepth) throw Error("type is nested too deeply");
        try
        {
            var pos = Peek.Pos;
            if (IsPunct("{")) return ParseRecordType();
            var path = ParsePath();
            if (path == "Set" && IsPunct("<"))
            {
                Next();
                var element = ParseType();
                Expect(">");
                return new SetTypeExpr(element, pos);
            }
            return new NamedTypeExpr(path, NameKind.EntityOrCommon, pos);
        }
        finally
        {
            _depth--;
        }
    }

    private RecordTypeExpr ParseRecordType()
    {
        var pos = Expect("{").Pos;
        var attributes = new List<AttributeDecl>();
        while (!IsPunct("}"))
        {
            var annotations = ParseAnnotations();
            var name = ExpectName();
            var required = true;
            if (IsPunct("?"))
            {
                Next();
                required = false;
            }
            Expect(":");
            var type = ParseType();
            attributes.Add(new AttributeDecl(name.Text, type, required, annotations, name.Pos));
            if (!IsPunct(",")) break;
            Next();
        }
        Expect("}");
        return new RecordTypeExpr(attributes, pos);
    }

    private ValueList<Annotation> ParseAnnotations()
    {
        List<Annotation>? list = null;
        while (IsPunct("@"))
        {
            Next();
            var key = ExpectIdent();
            var value = "";
            if (IsPunct("("))
            {
                Next();
                if (Peek.Kind != Kind.String) throw Error("expected a string as the annotation value");
                value = Next().Text;
                Expect(")");
            }
            list ??= [];
            if (list.Any(a => a.Key == key.Text)) throw new SyntaxError($"duplicate annotation `@{key.Text}`", key.Pos);
            list.Add(new Annotation(key.Text, value));
        }
        return list is null ? ValueList<Annotation>.Empty : new ValueList<Annotation>(list);
    }

    private string ParsePath()
    {
        var sb = new StringBuilder(ExpectIdent().Text);
        while (IsPunct("::") && _tokens[_index + 1].Kind == Kind.Ident)
        {
            Next();
            sb.Append("::").Append(Next().Text);
        }
        return sb.ToString();
    }

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
