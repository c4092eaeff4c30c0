using Mandate.Cedar.Ast;
using Mandate.Cedar.Schema;
using Mandate.Cedar.Values;

namespace Mandate.Cedar.Validation;

/// <summary>Whether a runtime value has a schema type (records closed, entities of the named type).</summary>
internal static class ValueConformance
{
    /// <summary>Null when <paramref name="value"/> conforms to <paramref name="type"/>, else why not.</summary>
    public static string? Check(Value value, CedarType type, CedarSchema schema)
    {
        switch (type)
        {
            case BoolType when value.Kind == ValueKind.Bool:
            case LongType when value.Kind == ValueKind.Long:
            case StringType when value.Kind == ValueKind.String:
                return null;
            case ExtensionType x when value.Kind == ValueKind.Extension && value.TypeName == x.Name:
                return null;
            case EntityType e when value is EntityValue ev:
                if (ev.Uid.Type != e.Name) return $"expected an entity of type `{e.Name}`, got `{ev.Uid}`";
                return EnumProblem(ev.Uid, schema);
            case SetType s when value is SetValue set:
                foreach (var el in set.Elements)
                {
                    if (Check(el, s.Element, schema) is { } problem) return $"in a set element: {problem}";
                }
                return null;
            case RecordType r when value is RecordValue rec:
                return CheckRecord(rec, r, schema);
            default:
                return $"expected a value of type `{type}`, got {Describe(value)}";
        }
    }

    /// <summary>Null when <paramref name="record"/> has exactly the attributes of <paramref name="type"/> (optional ones may be absent).</summary>
    public static string? CheckRecord(RecordValue record, RecordType type, CedarSchema schema)
    {
        foreach (var a in type.Attributes)
        {
            if (!record.TryGet(a.Name, out var v))
            {
                if (a.Required) return $"attribute `{a.Name}` is required but missing";
                continue;
            }
            if (Check(v, a.Type, schema) is { } problem) return $"attribute `{a.Name}`: {problem}";
        }
        foreach (var key in record.Keys)
        {
            if (type.Find(key) is null) return $"attribute `{key}` is not declared";
        }
        return null;
    }

    /// <summary>Null unless <paramref name="uid"/> is of an enumerated type that does not list its id.</summary>
    public static string? EnumProblem(EntityUid uid, CedarSchema schema) =>
        schema.FindEntityType(uid.Type) is { EnumValues: { } values } && !values.Contains(uid.Id)
            ? $"`{uid}` is not one of the values of enumerated entity type `{uid.Type}`"
            : null;

    private static string Describe(Value v) => v switch
    {
        EntityValue e => $"entity `{e.Uid}`",
        _ => $"a value of type `{v.TypeName}`",
    };
}
