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
    // Plain dictionaries and sets, never mutated after construction: frozen collections read a
    // little faster but cost far more to build, and schemas are built often (tests, reloads).
    private static readonly IReadOnlySet<string> NoTypes = new HashSet<string>();
    private static readonly IReadOnlySet<EntityUid> NoActions = new HashSet<EntityUid>();
    private readonly Dictionary<string, EntityTypeDefinition> _entityTypes;
    private readonly Dictionary<EntityUid, ActionDefinition> _actions;
    private readonly Dictionary<string, CedarType> _commonTypes;
    // Only entries that are non-empty: most types and actions have no parents.
    private readonly Dictionary<string, HashSet<string>> _ancestorTypes;
    private readonly Dictionary<EntityUid, HashSet<EntityUid>> _actionAncestors;
    private readonly Dictionary<EntityUid, HashSet<EntityUid>> _actionDescendants;
    private readonly HashSet<string> _actionTypes;

    internal CedarSchema(
        IEnumerable<string> namespaces,
        IEnumerable<EntityTypeDefinition> entityTypes,
        IEnumerable<ActionDefinition> actions,
        IEnumerable<KeyValuePair<string, CedarType>> commonTypes)
    {
        Namespaces = [.. namespaces];
        _entityTypes = entityTypes.ToDictionary(e => e.Name, StringComparer.Ordinal);
        _actions = actions.ToDictionary(a => a.Uid);
        _commonTypes = commonTypes.ToDictionary(StringComparer.Ordinal);
        _actionTypes = _actions.Keys.Select(k => k.Type).ToHashSet(StringComparer.Ordinal);
        _ancestorTypes = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var (name, def) in _entityTypes)
        {
            if (def.MemberOfTypes.Count == 0) continue;
            _ancestorTypes[name] = Closure(name, x => _entityTypes.TryGetValue(x, out var d) ? d.MemberOfTypes : []);
        }
        _actionAncestors = [];
        _actionDescendants = [];
        foreach (var (uid, def) in _actions)
        {
            if (def.MemberOf.Count == 0) continue;
            var ancestors = Closure(uid, x => _actions.TryGetValue(x, out var d) ? d.MemberOf : []);
            _actionAncestors[uid] = ancestors;
            foreach (var anc in ancestors)
            {
                if (!_actionDescendants.TryGetValue(anc, out var set)) _actionDescendants[anc] = set = [];
                set.Add(uid);
            }
        }
    }

    /// <summary>The namespaces declared (the empty string for the empty namespace), in order.</summary>
    public ImmutableArray<string> Namespaces { get; }

    /// <summary>Entity types by fully qualified name (action types are not listed here).</summary>
    public IReadOnlyDictionary<string, EntityTypeDefinition> EntityTypes => _entityTypes;

    /// <summary>Actions by uid.</summary>
    public IReadOnlyDictionary<EntityUid, ActionDefinition> Actions => _actions;

    /// <summary>Common types by fully qualified name, resolved.</summary>
    public IReadOnlyDictionary<string, CedarType> CommonTypes => _commonTypes;

    /// <summary>The entity type declared as <paramref name="name"/>, or null.</summary>
    public EntityTypeDefinition? FindEntityType(string name) => _entityTypes.GetValueOrDefault(name);

    /// <summary>The action <paramref name="uid"/>, or null.</summary>
    public ActionDefinition? FindAction(EntityUid uid) => _actions.GetValueOrDefault(uid);

    /// <summary>Whether <paramref name="type"/> is the type of some declared action (<c>Action</c>, <c>Ns::Action</c>).</summary>
    public bool IsActionEntityType(string type) => _actionTypes.Contains(type);

    /// <summary>Whether <paramref name="type"/> is a declared entity type or action type.</summary>
    public bool IsKnownEntityType(string type) => _entityTypes.ContainsKey(type) || _actionTypes.Contains(type);

    /// <summary>
    /// Entity types that an entity of <paramref name="type"/> may have as ancestors (transitively,
    /// not including itself).
    /// </summary>
    public IReadOnlySet<string> AncestorTypes(string type) =>
        _ancestorTypes.TryGetValue(type, out var set) ? set : NoTypes;

    /// <summary>
    /// Whether an entity of type <paramref name="descendant"/> can be <c>in</c> an entity of type
    /// <paramref name="ancestor"/> (the same type counts: every entity is in itself).
    /// </summary>
    public bool CanBeIn(string descendant, string ancestor) =>
        descendant == ancestor || AncestorTypes(descendant).Contains(ancestor);

    /// <summary>The action groups <paramref name="action"/> is in, transitively (not itself).</summary>
    public IReadOnlySet<EntityUid> ActionAncestors(EntityUid action) =>
        _actionAncestors.TryGetValue(action, out var set) ? set : NoActions;

    /// <summary>The actions in <paramref name="group"/>, transitively (not itself).</summary>
    public IReadOnlySet<EntityUid> ActionDescendants(EntityUid group) =>
        _actionDescendants.TryGetValue(group, out var set) ? set : NoActions;

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

    private static bool SameEntries<TKey, TValue>(IReadOnlyDictionary<TKey, TValue> a, IReadOnlyDictionary<TKey, TValue> b)
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
