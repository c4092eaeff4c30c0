using Mandate.Cedar.Ast;
using Mandate.Cedar.Schema;
using Mandate.Cedar.Values;

namespace Mandate.Cedar.Validation;

/// <summary>
/// Whether a value has a schema type: the check the engine makes when it validates entities and
/// requests against a schema (<see cref="EntityValidator"/>, <see cref="RequestValidator"/>), open to
/// hosts that hold Cedar values of their own, such as attributes written in configuration.
/// </summary>
public static class ValueConformance
{
    /// <summary>
    /// Null when <paramref name="value"/> has type <paramref name="type"/> under
    /// <paramref name="schema"/>; otherwise the first reason it does not, as a short message that
    /// names the offending attribute, entity or type in backticks (for example
    /// <c>attribute `tier`: expected a value of type `Long`, got a value of type `String`</c>).
    /// </summary>
    /// <remarks>
    /// Bool, Long and String by kind; extension values by their extension type; entity references
    /// by their entity type, and for an enumerated entity type (<c>entity Color enum ["Red"]</c>)
    /// also by id, which must be one the schema lists; sets element by element; records closed:
    /// every required attribute present, every present attribute declared and of its type. A
    /// mismatch is a value, never an exception.
    /// </remarks>
    public static string? Check(Value value, CedarType type, CedarSchema schema)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(schema);
        return Conform(value, type, schema);
    }

    private static string? Conform(Value value, CedarType type, CedarSchema schema)
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
                    if (Conform(el, s.Element, schema) is { } problem) return $"in a set element: {problem}";
                }
                return null;
            case RecordType r when value is RecordValue rec:
                return CheckRecord(rec, r, schema);
            default:
                return $"expected a value of type `{type}`, got {Describe(value)}";
        }
    }

    /// <summary>Null when <paramref name="record"/> has exactly the attributes of <paramref name="type"/> (optional ones may be absent).</summary>
    internal static string? CheckRecord(RecordValue record, RecordType type, CedarSchema schema)
    {
        foreach (var a in type.Attributes)
        {
            if (!record.TryGet(a.Name, out var v))
            {
                if (a.Required) return $"attribute `{a.Name}` is required but missing";
                continue;
            }
            if (Conform(v, a.Type, schema) is { } problem) return $"attribute `{a.Name}`: {problem}";
        }
        foreach (var key in record.Keys)
        {
            if (type.Find(key) is null) return $"attribute `{key}` is not declared";
        }
        return null;
    }

    /// <summary>Null unless <paramref name="uid"/> is of an enumerated type that does not list its id.</summary>
    internal static string? EnumProblem(EntityUid uid, CedarSchema schema) =>
        schema.FindEntityType(uid.Type) is { EnumValues: { } values } && !values.Contains(uid.Id)
            ? $"`{uid}` is not one of the values of enumerated entity type `{uid.Type}`"
            : null;

    private static string Describe(Value v) => v switch
    {
        EntityValue e => $"entity `{e.Uid}`",
        _ => $"a value of type `{v.TypeName}`",
    };
}
