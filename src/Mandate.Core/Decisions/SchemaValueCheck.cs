using Mandate.Cedar.Schema;
using Mandate.Cedar.Values;

namespace Mandate.Core.Decisions;

/// <summary>
/// Whether a value written in configuration has a schema type: the literal kinds (Bool, Long, String), extension
/// values of the named type, entity references of the named type, sets element by element, and records that are
/// closed (every attribute declared, every required one present).
/// </summary>
public static class SchemaValueCheck
{
    /// <summary>Null when <paramref name="value"/> has type <paramref name="type"/>, else why not.</summary>
    public static string? Check(Value value, CedarType type)
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
                return ev.Uid.Type == e.Name ? null : $"expected an entity of type `{e.Name}`, got `{ev.Uid}`";
            case SetType s when value is SetValue set:
                foreach (var element in set.Elements)
                {
                    if (Check(element, s.Element) is { } problem)
                    {
                        return $"in a set element: {problem}";
                    }
                }

                return null;
            case RecordType r when value is RecordValue record:
                foreach (var a in r.Attributes)
                {
                    if (!record.TryGet(a.Name, out var v))
                    {
                        if (a.Required)
                        {
                            return $"attribute `{a.Name}` is required but missing";
                        }

                        continue;
                    }

                    if (Check(v, a.Type) is { } problem)
                    {
                        return $"attribute `{a.Name}`: {problem}";
                    }
                }

                foreach (var key in record.Keys)
                {
                    if (r.Find(key) is null)
                    {
                        return $"attribute `{key}` is not declared";
                    }
                }

                return null;
            default:
                return $"expected {type}, got a {value.TypeName}";
        }
    }
}
