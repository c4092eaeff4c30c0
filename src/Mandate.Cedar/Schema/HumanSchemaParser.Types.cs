using System.Text;

namespace Mandate.Cedar.Schema;

// Type expressions: names (paths such as `NS::Type`), `Set<...>`, record types `{ name?: Type, ... }`,
// and lists of entity types (`[A, B]` or a single one). Nesting depth is bounded.
internal sealed partial class HumanSchemaParser
{
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
}
