using System.Diagnostics.CodeAnalysis;
using Mandate.Cedar.Ast;

namespace Mandate.Cedar.Entities;

/// <summary>
/// An immutable set of entities with the transitive closure of their parent relation computed
/// once, at construction, so <see cref="IsDescendantOf"/> is a hash lookup. Parent graphs with
/// cycles are accepted (the closure still terminates). A parent that is not itself in the store
/// still counts as an ancestor, as in Cedar.
/// </summary>
/// <remarks>
/// <see cref="With"/> derives a store that adds or replaces a few entities (say, the resource of
/// one request) without copying the base: the derived store holds only the changed entities and
/// those whose ancestors they change, and looks everything else up in the base.
/// </remarks>
public sealed class EntityStore
{
    /// <summary>The store with no entities.</summary>
    public static readonly EntityStore Empty = new([]);

    // For a root store: every entity. For a derived store: the added/replaced entities and the
    // base entities whose closure they change; everything else is read from _base.
    private readonly Dictionary<EntityUid, Node> _nodes;
    private readonly EntityStore? _base;
    private readonly int _count;
    private Dictionary<EntityUid, List<EntityUid>>? _descendants;
    private Dictionary<string, List<EntityUid>>? _byType;

    /// <summary>
    /// Builds a store and computes ancestors. Throws <see cref="ArgumentException"/> when two
    /// entities share a uid (parsers check this first and report it as an error value).
    /// </summary>
    public EntityStore(IEnumerable<Entity> entities)
    {
        _nodes = new Dictionary<EntityUid, Node>();
        foreach (var e in entities)
        {
            if (!_nodes.TryAdd(e.Uid, new Node(e)))
            {
                throw new ArgumentException($"duplicate entity `{e.Uid}`", nameof(entities));
            }
        }
        _count = _nodes.Count;
        ComputeClosure(_nodes.Values);
    }

    private EntityStore(EntityStore baseStore, Dictionary<EntityUid, Node> nodes, int count)
    {
        _base = baseStore;
        _nodes = nodes;
        _count = count;
        ComputeClosure(_nodes.Values);
    }

    /// <summary>The number of entities.</summary>
    public int Count => _count;

    /// <summary>All entities, in no particular order.</summary>
    public IEnumerable<Entity> All => _base is null
        ? _nodes.Values.Select(n => n.Entity)
        : _nodes.Values.Select(n => n.Entity).Concat(_base.All.Where(e => !_nodes.ContainsKey(e.Uid)));

    /// <summary>
    /// A store with <paramref name="entities"/> added, each replacing any entity with the same
    /// uid. Only the changed entities and their descendants get new ancestor sets; the rest is
    /// shared with this store. Throws <see cref="ArgumentException"/> when the list repeats a uid.
    /// </summary>
    public EntityStore With(IEnumerable<Entity> entities)
    {
        ArgumentNullException.ThrowIfNull(entities);
        // Derive from a root store only, so lookups are at most two levels deep.
        var root = _base is null ? this : new EntityStore(All);
        var nodes = new Dictionary<EntityUid, Node>();
        var added = 0;
        foreach (var e in entities)
        {
            if (!nodes.TryAdd(e.Uid, new Node(e)))
            {
                throw new ArgumentException($"duplicate entity `{e.Uid}`", nameof(entities));
            }
            if (!root._nodes.ContainsKey(e.Uid)) added++;
        }
        if (nodes.Count == 0) return root;
        // Base entities below a replaced entity see different ancestors now: recompute them too.
        var descendants = root.Descendants();
        foreach (var uid in nodes.Keys.ToArray())
        {
            if (!descendants.TryGetValue(uid, out var below)) continue;
            foreach (var d in below)
            {
                if (!nodes.ContainsKey(d) && root._nodes.TryGetValue(d, out var node)) nodes[d] = new Node(node.Entity);
            }
        }
        return new EntityStore(root, nodes, root._count + added);
    }

    /// <summary>A store with <paramref name="entity"/> added, replacing any entity with the same uid.</summary>
    public EntityStore With(Entity entity) => With([entity]);

    /// <summary>The entity with this uid, if present.</summary>
    public bool TryGet(EntityUid uid, [NotNullWhen(true)] out Entity? entity)
    {
        if (TryGetNode(uid, out var node))
        {
            entity = node.Entity;
            return true;
        }
        entity = null;
        return false;
    }

    /// <summary>Whether an entity with this uid is present.</summary>
    public bool Contains(EntityUid uid) => TryGetNode(uid, out _);

    /// <summary>
    /// Whether <paramref name="ancestor"/> is a proper ancestor of <paramref name="entity"/>
    /// (reachable through one or more parent edges). Not reflexive: Cedar's <c>in</c> adds equality.
    /// </summary>
    public bool IsDescendantOf(EntityUid entity, EntityUid ancestor) =>
        TryGetNode(entity, out var node) && node.AncestorSet.Contains(ancestor);

    /// <summary>The ancestors of <paramref name="entity"/> (empty when absent).</summary>
    public IReadOnlyList<EntityUid> AncestorsOf(EntityUid entity) =>
        TryGetNode(entity, out var node) ? node.Ancestors : [];

    /// <summary>
    /// The entities of type <paramref name="type"/>, from an index by type built on first use (a root store), or by a
    /// scan (a derived store).
    /// </summary>
    public IReadOnlyList<EntityUid> OfType(string type)
    {
        if (_base is not null)
        {
            return All.Where(e => string.Equals(e.Uid.Type, type, StringComparison.Ordinal)).Select(e => e.Uid).ToArray();
        }

        var index = Volatile.Read(ref _byType);
        if (index is null)
        {
            var map = new Dictionary<string, List<EntityUid>>(StringComparer.Ordinal);
            foreach (var uid in _nodes.Keys)
            {
                if (!map.TryGetValue(uid.Type, out var list)) map[uid.Type] = list = [];
                list.Add(uid);
            }
            Interlocked.CompareExchange(ref _byType, map, null);
            index = _byType!;
        }

        return index.TryGetValue(type, out var found) ? found : [];
    }

    /// <summary>
    /// The entities that have <paramref name="ancestor"/> as a proper ancestor, from the reverse index of a root store
    /// (built on first use), or by a scan (a derived store).
    /// </summary>
    public IReadOnlyList<EntityUid> DescendantsOf(EntityUid ancestor)
    {
        if (_base is not null)
        {
            return All.Where(e => IsDescendantOf(e.Uid, ancestor)).Select(e => e.Uid).ToArray();
        }

        return Descendants().TryGetValue(ancestor, out var below) ? below : [];
    }

    /// <summary>The ancestor set for <paramref name="entity"/>, or null when the entity is absent.</summary>
    internal HashSet<EntityUid>? AncestorSetOf(EntityUid entity) =>
        TryGetNode(entity, out var node) ? node.AncestorSet : null;

    private bool TryGetNode(EntityUid uid, [NotNullWhen(true)] out Node? node)
    {
        if (_nodes.TryGetValue(uid, out node)) return true;
        if (_base is not null && _base._nodes.TryGetValue(uid, out node)) return true;
        node = null;
        return false;
    }

    // uid → entities that have it as an ancestor; built on first use of With.
    private Dictionary<EntityUid, List<EntityUid>> Descendants()
    {
        var existing = Volatile.Read(ref _descendants);
        if (existing is not null) return existing;
        var map = new Dictionary<EntityUid, List<EntityUid>>();
        foreach (var node in _nodes.Values)
        {
            foreach (var a in node.Ancestors)
            {
                if (!map.TryGetValue(a, out var list)) map[a] = list = [];
                list.Add(node.Entity.Uid);
            }
        }
        Interlocked.CompareExchange(ref _descendants, map, null);
        return _descendants!;
    }

    private void ComputeClosure(IEnumerable<Node> pending)
    {
        // For each entity, walk parents breadth-first. When the walk reaches an entity whose
        // closure is already complete, its ancestors are taken whole instead of re-walked.
        // A visited set bounds every walk, so cycles terminate.
        var queue = new Queue<EntityUid>();
        foreach (var node in pending)
        {
            var set = new HashSet<EntityUid>();
            queue.Clear();
            foreach (var p in node.Entity.Parents) queue.Enqueue(p);
            while (queue.Count > 0)
            {
                var uid = queue.Dequeue();
                if (!set.Add(uid)) continue;
                if (!TryGetNode(uid, out var parent)) continue;
                if (parent.Ancestors is not null)
                {
                    set.UnionWith(parent.AncestorSet);
                    continue;
                }
                foreach (var pp in parent.Entity.Parents) queue.Enqueue(pp);
            }
            node.AncestorSet = set;
            node.Ancestors = [.. set];
        }
    }

    private sealed class Node(Entity entity)
    {
        public Entity Entity { get; } = entity;

        public HashSet<EntityUid> AncestorSet { get; set; } = null!;

        public EntityUid[] Ancestors { get; set; } = null!;
    }
}
