using System.Text;
using Mandate.Cedar.Ast;

namespace Mandate.Cedar.Schema;

/// <summary>
/// Parses Cedar's human schema format (<c>.cedarschema</c>) into a <see cref="SchemaFragment"/>:
/// <c>namespace</c> blocks, <c>entity</c> (with <c>in</c>, shape, <c>tags</c>, <c>enum</c>),
/// <c>action</c> (with <c>in</c> and <c>appliesTo</c>), <c>type</c>, annotations and comments.
/// Stops at the first syntax error (the rest of the text cannot be trusted to mean anything).
/// </summary>
/// <remarks>
/// This file parses declarations and annotations; <c>HumanSchemaParser.Types.cs</c> parses type
/// expressions and <c>HumanSchemaParser.Tokens.cs</c> holds the lexer and the token cursor.
/// </remarks>
internal sealed partial class HumanSchemaParser
{
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
}
