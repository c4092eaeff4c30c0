using System.Diagnostics.CodeAnalysis;
using Mandate.Cedar.Ast;

namespace Mandate.Cedar.Entities;

/// <summary>
/// An immutable set of entities with the transitive closure of their parent relation computed
/// once, at construction, so <see cref="IsDescendantOf"/> is a hash lookup. Parent graphs with
/// cycles are accepted (the closure still terminates). A parent that is not itself in the store
/// still counts as an ancestor, as in Cedar.
/// </summary>
public sealed class EntityStore
{
    /// <summary>The store with no entities.</summary>
    public static readonly EntityStore Empty = new([]);

    private readonly Dictionary<EntityUid, Node> _nodes;

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
        ComputeClosure();
    }

    /// <summary>The number of entities.</summary>
    public int Count => _nodes.Count;

    /// <summary>All entities, in no particular order.</summary>
    public IEnumerable<Entity> All => _nodes.Values.Select(n => n.Entity);

    /// <summary>The entity with this uid, if present.</summary>
    public bool TryGet(EntityUid uid, [NotNullWhen(true)] out Entity? entity)
    {
        if (_nodes.TryGetValue(uid, out var node))
        {
            entity = node.Entity;
            return true;
        }
        entity = null;
        return false;
    }

    /// <summary>Whether an entity with this uid is present.</summary>
    public bool Contains(EntityUid uid) => _nodes.ContainsKey(uid);

    /// <summary>
    /// Whether <paramref name="ancestor"/> is a proper ancestor of <paramref name="entity"/>
    /// (reachable through one or more parent edges). Not reflexive: Cedar's <c>in</c> adds equality.
    /// </summary>
    public bool IsDescendantOf(EntityUid entity, EntityUid ancestor) =>
        _nodes.TryGetValue(entity, out var node) && node.AncestorSet.Contains(ancestor);

    /// <summary>The ancestors of <paramref name="entity"/> (empty when absent).</summary>
    public IReadOnlyList<EntityUid> AncestorsOf(EntityUid entity) =>
        _nodes.TryGetValue(entity, out var node) ? node.Ancestors : [];

    /// <summary>The ancestor set for <paramref name="entity"/>, or null when the entity is absent.</summary>
    internal HashSet<EntityUid>? AncestorSetOf(EntityUid entity) =>
        _nodes.TryGetValue(entity, out var node) ? node.AncestorSet : null;

    private void ComputeClosure()
    {
        // For each entity, walk parents breadth-first. When the walk reaches an entity whose
        // closure is already complete, its ancestors are taken whole instead of re-walked.
        // A visited set bounds every walk, so cycles terminate.
        var queue = new Queue<EntityUid>();
        foreach (var node in _nodes.Values)
        {
            var set = new HashSet<EntityUid>();
            queue.Clear();
            foreach (var p in node.Entity.Parents) queue.Enqueue(p);
            while (queue.Count > 0)
            {
                var uid = queue.Dequeue();
                if (!set.Add(uid)) continue;
                if (!_nodes.TryGetValue(uid, out var parent)) continue;
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
