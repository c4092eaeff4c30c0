using System.Collections.Frozen;
using System.Collections.Immutable;
using Mandate.Cedar.Ast;

namespace Mandate.Cedar.Schema;

/// <summary>
/// A resolved, immutable Cedar schema: every name is fully qualified, common types are inlined,
/// and the entity-type and action hierarchies are closed transitively once, here. Equal schemas
/// (whatever format they were written in) compare equal with <see cref="Equals(CedarSchema?)"/>.
/// Build one with <see cref="SchemaParser.Parse"/>.
/// </summary>
public sealed class CedarSchema : IEquatable<CedarSchema>
{
    private readonly FrozenDictionary<string, FrozenSet<string>> _ancestorTypes;
    private readonly FrozenDictionary<EntityUid, FrozenSet<EntityUid>> _actionAncestors;
    private readonly FrozenDictionary<EntityUid, FrozenSet<EntityUid>> _actionDescendants;
    private readonly FrozenSet<string> _actionTypes;

    internal CedarSchema(
        IEnumerable<string> namespaces,
        IEnumerable<EntityTypeDefinition> entityTypes,
        IEnumerable<ActionDefinition> actions,
        IEnumerable<KeyValuePair<string, CedarType>> commonTypes)
    {
        Namespaces = [.. namespaces];
        EntityTypes = entityTypes.ToFrozenDictionary(e => e.Name, StringComparer.Ordinal);
        Actions = actions.ToFrozenDictionary(a => a.Uid);
        CommonTypes = commonTypes.ToFrozenDictionary(StringComparer.Ordinal);
        _actionTypes = Actions.Keys.Select(k => k.Type).ToFrozenSet(StringComparer.Ordinal);
        _ancestorTypes = EntityTypes.Keys.ToFrozenDictionary(
            t => t,
            t => Closure(t, x => EntityTypes.TryGetValue(x, out var d) ? d.MemberOfTypes : []).ToFrozenSet(StringComparer.Ordinal),
            StringComparer.Ordinal);
        _actionAncestors = Actions.Keys.ToFrozenDictionary(
            a => a,
            a => Closure(a, x => Actions.TryGetValue(x, out var d) ? d.MemberOf : []).ToFrozenSet());
        var descendants = Actions.Keys.ToDictionary(a => a, _ => new HashSet<EntityUid>());
        foreach (var (a, ancestors) in _actionAncestors)
        {
            foreach (var anc in ancestors)
            {
                if (descendants.TryGetValue(anc, out var set)) set.Add(a);
            }
        }
        _actionDescendants = descendants.ToFrozenDictionary(kv => kv.Key, kv => kv.Value.ToFrozenSet());
    }

    /// <summary>The namespaces declared (the empty string for the empty namespace), in order.</summary>
    public ImmutableArray<string> Namespaces { get; }

    /// <summary>Entity types by fully qualified name (action types are not listed here).</summary>
    public FrozenDictionary<string, EntityTypeDefinition> EntityTypes { get; }

    /// <summary>Actions by uid.</summary>
    public FrozenDictionary<EntityUid, ActionDefinition> Actions { get; }

    /// <summary>Common types by fully qualified name, resolved.</summary>
    public FrozenDictionary<string, CedarType> CommonTypes { get; }

    /// <summary>The entity type declared as <paramref name="name"/>, or null.</summary>
    public EntityTypeDefinition? FindEntityType(string name) => EntityTypes.GetValueOrDefault(name);

    /// <summary>The action <paramref name="uid"/>, or null.</summary>
    public ActionDefinition? FindAction(EntityUid uid) => Actions.GetValueOrDefault(uid);

    /// <summary>Whether <paramref name="type"/> is the type of some declared action (<c>Action</c>, <c>Ns::Action</c>).</summary>
    public bool IsActionEntityType(string type) => _actionTypes.Contains(type);

    /// <summary>Whether <paramref name="type"/> is a declared entity type or action type.</summary>
    public bool IsKnownEntityType(string type) => EntityTypes.ContainsKey(type) || _actionTypes.Contains(type);

    /// <summary>
    /// Entity types that an entity of <paramref name="type"/> may have as ancestors (transitively,
    /// not including itself).
    /// </summary>
    public FrozenSet<string> AncestorTypes(string type) =>
        _ancestorTypes.TryGetValue(type, out var set) ? set : FrozenSet<string>.Empty;

    /// <summary>
    /// Whether an entity of type <paramref name="descendant"/> can be <c>in</c> an entity of type
    /// <paramref name="ancestor"/> (the same type counts: every entity is in itself).
    /// </summary>
    public bool CanBeIn(string descendant, string ancestor) =>
        descendant == ancestor || AncestorTypes(descendant).Contains(ancestor);

    /// <summary>The action groups <paramref name="action"/> is in, transitively (not itself).</summary>
    public FrozenSet<EntityUid> ActionAncestors(EntityUid action) =>
        _actionAncestors.TryGetValue(action, out var set) ? set : FrozenSet<EntityUid>.Empty;

    /// <summary>The actions in <paramref name="group"/>, transitively (not itself).</summary>
    public FrozenSet<EntityUid> ActionDescendants(EntityUid group) =>
        _actionDescendants.TryGetValue(group, out var set) ? set : FrozenSet<EntityUid>.Empty;

    /// <inheritdoc />
    public bool Equals(CedarSchema? other)
    {
        if (other is null) return false;
        if (ReferenceEquals(this, other)) return true;
        return SameEntries(EntityTypes, other.EntityTypes)
            && SameEntries(Actions, other.Actions)
            && SameEntries(CommonTypes, other.CommonTypes);
    }

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is CedarSchema other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(EntityTypes.Count, Actions.Count, CommonTypes.Count);

    /// <summary>
    /// Describes the first difference between two schemas (null when equal): handy in tests
    /// comparing a human-format schema with its JSON twin.
    /// </summary>
    public static string? Difference(CedarSchema a, CedarSchema b)
    {
        foreach (var (k, v) in a.EntityTypes)
        {
            if (!b.EntityTypes.TryGetValue(k, out var w)) return $"entity type `{k}` only on the left";
            if (!v.Equals(w)) return $"entity type `{k}` differs: {v} vs {w}";
        }
        foreach (var k in b.EntityTypes.Keys) if (!a.EntityTypes.ContainsKey(k)) return $"entity type `{k}` only on the right";
        foreach (var (k, v) in a.Actions)
        {
            if (!b.Actions.TryGetValue(k, out var w)) return $"action `{k}` only on the left";
            if (!v.Equals(w)) return $"action `{k}` differs: {v} vs {w}";
        }
        foreach (var k in b.Actions.Keys) if (!a.Actions.ContainsKey(k)) return $"action `{k}` only on the right";
        return SameEntries(a.CommonTypes, b.CommonTypes) ? null : "common types differ";
    }

    private static bool SameEntries<TKey, TValue>(FrozenDictionary<TKey, TValue> a, FrozenDictionary<TKey, TValue> b)
        where TKey : notnull
    {
        if (a.Count != b.Count) return false;
        foreach (var (k, v) in a)
        {
            if (!b.TryGetValue(k, out var w) || !EqualityComparer<TValue>.Default.Equals(v, w)) return false;
        }
        return true;
    }

    private static HashSet<T> Closure<T>(T start, Func<T, IEnumerable<T>> parents)
    {
        var seen = new HashSet<T>();
        var stack = new Stack<T>(parents(start));
        while (stack.Count > 0)
        {
            var x = stack.Pop();
            if (!seen.Add(x)) continue;
            foreach (var p in parents(x)) stack.Push(p);
        }
        seen.Remove(start);
        return seen;
    }
}
