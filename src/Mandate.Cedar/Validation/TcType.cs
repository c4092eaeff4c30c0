using System.Collections.Immutable;
using System.Text;
using Mandate.Cedar.Schema;

namespace Mandate.Cedar.Validation;

// The typechecker's types. They extend the schema's CedarType with what only the checker needs:
// singleton booleans (True/False, so `false && e` and `if true …` can be typed precisely), the
// unknown element type of an empty set, unions of entity types and open records (permissive mode).

internal enum BoolKind { True, False, Any }

internal abstract class TcType
{
    public static readonly TcBool True = new(BoolKind.True);
    public static readonly TcBool False = new(BoolKind.False);
    public static readonly TcBool AnyBool = new(BoolKind.Any);
    public static readonly TcPrim Long = new("Long");
    public static readonly TcPrim String = new("String");

    public static TcBool Bool(bool value) => value ? True : False;

    public static TcType FromSchema(CedarType type) => type switch
    {
        BoolType => AnyBool,
        LongType => Long,
        StringType => String,
        SetType s => new TcSet(FromSchema(s.Element)),
        EntityType e => new TcEntity(e.Name),
        ExtensionType x => new TcPrim(x.Name),
        RecordType r => TcRecord.FromSchema(r),
        _ => throw new InvalidOperationException("unknown schema type"), // a bug, not an input error
    };

    /// <summary>Structural equality.</summary>
    public abstract bool Same(TcType other);
}

internal sealed class TcBool(BoolKind kind) : TcType
{
    public BoolKind Kind { get; } = kind;

    public TcBool Not() => Kind switch { BoolKind.True => False, BoolKind.False => True, _ => AnyBool };

    public override bool Same(TcType other) => other is TcBool b && b.Kind == Kind;

    public override string ToString() => Kind switch
    {
        BoolKind.True => "__cedar::internal::True",
        BoolKind.False => "__cedar::internal::False",
        _ => "Bool",
    };
}

/// <summary>Long, String and the extension types: equal by name only.</summary>
internal sealed class TcPrim(string name) : TcType
{
    public string Name { get; } = name;

    public override bool Same(TcType other) => other is TcPrim p && p.Name == Name;

    public override string ToString() => Name;
}

/// <summary>A set; <see cref="Element"/> null is the element type of the empty set literal.</summary>
internal sealed class TcSet(TcType? element) : TcType
{
    public TcType? Element { get; } = element;

    public override bool Same(TcType other) =>
        other is TcSet s && (Element is null ? s.Element is null : s.Element is not null && Element.Same(s.Element));

    public override string ToString() => $"Set<{(Element is null ? "__cedar::internal::Never" : Element.ToString())}>";
}

/// <summary>An entity of one of <see cref="Types"/> (one type, except for permissive unions).</summary>
internal sealed class TcEntity : TcType
{
    public TcEntity(string type) => Types = [type];

    public TcEntity(ImmutableSortedSet<string> types) => Types = types;

    public ImmutableSortedSet<string> Types { get; }

    public bool IsSingle => Types.Count == 1;

    public override bool Same(TcType other) => other is TcEntity e && e.Types.SetEquals(Types);

    public override string ToString() => string.Join(" | ", Types);
}

internal readonly record struct TcAttr(TcType Type, bool Required);

/// <summary>A record type; open records (permissive lubs) may have attributes they do not list.</summary>
internal sealed class TcRecord(ImmutableSortedDictionary<string, TcAttr> attributes, bool open) : TcType
{
    public ImmutableSortedDictionary<string, TcAttr> Attributes { get; } = attributes;

    public bool Open { get; } = open;

    public static TcRecord FromSchema(RecordType r) => new(
        r.Attributes.ToImmutableSortedDictionary(a => a.Name, a => new TcAttr(FromSchema(a.Type), a.Required), StringComparer.Ordinal),
        open: false);

    public override bool Same(TcType other)
    {
        if (other is not TcRecord r || r.Open != Open || r.Attributes.Count != Attributes.Count) return false;
        foreach (var (k, v) in Attributes)
        {
            if (!r.Attributes.TryGetValue(k, out var w) || w.Required != v.Required || !v.Type.Same(w.Type)) return false;
        }
        return true;
    }

    public override string ToString()
    {
        var sb = new StringBuilder("{");
        foreach (var (k, v) in Attributes)
        {
            sb.Append(k);
            if (!v.Required) sb.Append('?');
            sb.Append(": ").Append(v.Type).Append(',');
        }
        return sb.Append('}').ToString();
    }
}

/// <summary>Least upper bounds in Cedar's two validation modes.</summary>
internal static class TypeLub
{
    /// <summary>
    /// The least upper bound, or null when none exists. Strict: depth subtyping only (records need
    /// the same attributes with the same optionality, entities the same type). Permissive: entity
    /// types form unions and records keep their common attributes (width subtyping).
    /// </summary>
    public static TcType? Lub(TcType a, TcType b, ValidationMode mode)
    {
        switch (a, b)
        {
            case (TcBool x, TcBool y):
                return x.Kind == y.Kind ? x : TcType.AnyBool;
            case (TcSet x, TcSet y):
                if (x.Element is null) return y;
                if (y.Element is null) return x;
                return Lub(x.Element, y.Element, mode) is { } el ? new TcSet(el) : null;
            case (TcEntity x, TcEntity y):
                if (x.Same(y)) return x;
                return mode == ValidationMode.Permissive ? new TcEntity(x.Types.Union(y.Types)) : null;
            case (TcRecord x, TcRecord y):
                return LubRecord(x, y, mode);
            case (TcPrim x, TcPrim y):
                return x.Name == y.Name ? x : null;
            default:
                return null;
        }
    }

    private static TcRecord? LubRecord(TcRecord x, TcRecord y, ValidationMode mode)
    {
        var builder = ImmutableSortedDictionary.CreateBuilder<string, TcAttr>(StringComparer.Ordinal);
        if (mode == ValidationMode.Strict)
        {
            if (x.Open || y.Open || x.Attributes.Count != y.Attributes.Count) return null;
            foreach (var (k, v) in x.Attributes)
            {
                if (!y.Attributes.TryGetValue(k, out var w) || w.Required != v.Required) return null;
                if (Lub(v.Type, w.Type, mode) is not { } t) return null;
                builder[k] = new TcAttr(t, v.Required);
            }
            return new TcRecord(builder.ToImmutable(), open: false);
        }
        var open = x.Open || y.Open;
        foreach (var (k, v) in x.Attributes)
        {
            if (!y.Attributes.TryGetValue(k, out var w))
            {
                open = true;
                continue;
            }
            if (Lub(v.Type, w.Type, mode) is not { } t) return null;
            builder[k] = new TcAttr(t, v.Required && w.Required);
        }
        if (y.Attributes.Keys.Any(k => !x.Attributes.ContainsKey(k))) open = true;
        return new TcRecord(builder.ToImmutable(), open);
    }
}
