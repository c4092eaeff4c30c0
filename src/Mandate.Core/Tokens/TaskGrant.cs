namespace Mandate.Core.Tokens;

/// <summary>
/// What a task token carries: its scopes, audiences, declared intent, and the tools/actions and resources of the task.
/// </summary>
/// <remarks>
/// <para>The two kinds of list read differently, and every operation here follows that:</para>
/// <list type="bullet">
/// <item><see cref="Scopes"/> and <see cref="Audiences"/> are plain sets: empty means none.</item>
/// <item><see cref="Tools"/> and <see cref="Resources"/> restrict the task: empty means unrestricted (any tool, any
/// resource); otherwise each entry is a <see cref="GrantPatterns"/> entry or prefix pattern.</item>
/// </list>
/// <para><see cref="Intent"/> is free text for people and policy; it is not ordered, so a child may state its own.</para>
/// </remarks>
/// <param name="Scopes">OAuth scopes (space-free strings).</param>
/// <param name="Audiences">Audiences the token is for.</param>
/// <param name="Intent">The declared task, empty when none was declared.</param>
/// <param name="Tools">Allowed tools or actions (opaque, e.g. <c>tickets.read</c>, <c>mcp.tools.call:github/create_issue</c>); empty = any.</param>
/// <param name="Resources">Allowed resources (opaque, e.g. <c>Mandate::Ticket::"T-1"</c> or a URL prefix pattern); empty = any.</param>
public sealed record TaskGrant(
    IReadOnlyList<string> Scopes,
    IReadOnlyList<string> Audiences,
    string Intent,
    IReadOnlyList<string> Tools,
    IReadOnlyList<string> Resources)
{
    /// <summary>No scopes, no audiences, no intent, any tool, any resource. As a request: "as much as allowed".</summary>
    public static TaskGrant Empty { get; } = new([], [], "", [], []);

    /// <summary>
    /// True when this grant is no wider than <paramref name="parent"/>: scopes ⊆, audiences ⊆, and when the parent
    /// restricts tools (resources), this grant restricts them too, each entry covered by one of the parent's.
    /// </summary>
    public bool IsWithin(TaskGrant parent) =>
        IsSubset(Scopes, parent.Scopes)
        && IsSubset(Audiences, parent.Audiences)
        && IsCovered(Tools, parent.Tools)
        && IsCovered(Resources, parent.Resources);

    /// <summary>
    /// The part of <paramref name="requested"/> this grant allows (this is the parent). An empty requested list takes
    /// this grant's list ("as much as allowed"); an empty requested intent keeps this intent. Entries this grant does
    /// not allow are dropped; use <see cref="Excess"/> first to refuse such a request instead.
    /// </summary>
    /// <exception cref="ArgumentException">When dropping entries would empty a restricted tool or resource list,
    /// which would read as "any" (a widening). Callers check <see cref="Excess"/> first; reaching this is a bug.</exception>
    public TaskGrant Intersect(TaskGrant requested)
    {
        var result = new TaskGrant(
            requested.Scopes.Count == 0 ? Scopes : requested.Scopes.Where(s => Scopes.Contains(s, StringComparer.Ordinal)).Distinct(StringComparer.Ordinal).ToArray(),
            requested.Audiences.Count == 0 ? Audiences : requested.Audiences.Where(a => Audiences.Contains(a, StringComparer.Ordinal)).Distinct(StringComparer.Ordinal).ToArray(),
            requested.Intent.Length == 0 ? Intent : requested.Intent,
            NarrowRestriction(Tools, requested.Tools, "tools"),
            NarrowRestriction(Resources, requested.Resources, "resources"));
        return result;
    }

    /// <summary>
    /// What <paramref name="requested"/> asks beyond this grant, as human-readable entries (<c>scope:x</c>,
    /// <c>audience:x</c>, <c>tool:x</c>, <c>resource:x</c>); empty when the request fits.
    /// </summary>
    public IReadOnlyList<string> Excess(TaskGrant requested)
    {
        List<string>? excess = null;
        foreach (var s in requested.Scopes)
        {
            if (!Scopes.Contains(s, StringComparer.Ordinal))
            {
                (excess ??= []).Add("scope:" + s);
            }
        }
        foreach (var a in requested.Audiences)
        {
            if (!Audiences.Contains(a, StringComparer.Ordinal))
            {
                (excess ??= []).Add("audience:" + a);
            }
        }
        if (Tools.Count > 0)
        {
            foreach (var t in requested.Tools)
            {
                if (!GrantPatterns.AnyCovers(Tools, t))
                {
                    (excess ??= []).Add("tool:" + t);
                }
            }
        }
        if (Resources.Count > 0)
        {
            foreach (var r in requested.Resources)
            {
                if (!GrantPatterns.AnyCovers(Resources, r))
                {
                    (excess ??= []).Add("resource:" + r);
                }
            }
        }
        return excess is null ? [] : excess;
    }

    /// <summary>The scopes joined by single spaces (the <c>scope</c> claim).</summary>
    public string ScopeString => string.Join(' ', Scopes);

    /// <summary>Value equality over the lists' contents in order (records compare lists by reference).</summary>
    public bool SameAs(TaskGrant other) =>
        Intent == other.Intent
        && Scopes.SequenceEqual(other.Scopes, StringComparer.Ordinal)
        && Audiences.SequenceEqual(other.Audiences, StringComparer.Ordinal)
        && Tools.SequenceEqual(other.Tools, StringComparer.Ordinal)
        && Resources.SequenceEqual(other.Resources, StringComparer.Ordinal);

    private static bool IsSubset(IReadOnlyList<string> child, IReadOnlyList<string> parent)
    {
        foreach (var c in child)
        {
            if (!parent.Contains(c, StringComparer.Ordinal))
            {
                return false;
            }
        }
        return true;
    }

    // Restriction lists: an unrestricted parent (empty) allows anything; a restricted parent needs a restricted child.
    private static bool IsCovered(IReadOnlyList<string> child, IReadOnlyList<string> parent)
    {
        if (parent.Count == 0)
        {
            return true;
        }
        if (child.Count == 0)
        {
            return false;
        }
        foreach (var c in child)
        {
            if (!GrantPatterns.AnyCovers(parent, c))
            {
                return false;
            }
        }
        return true;
    }

    private static IReadOnlyList<string> NarrowRestriction(IReadOnlyList<string> parent, IReadOnlyList<string> requested, string what)
    {
        if (requested.Count == 0)
        {
            return parent;
        }
        var distinct = requested.Distinct(StringComparer.Ordinal);
        if (parent.Count == 0)
        {
            return distinct.ToArray();
        }
        var kept = distinct.Where(r => GrantPatterns.AnyCovers(parent, r)).ToArray();
        // INVARIANT: a restricted list never narrows to empty, which would mean "any".
        return kept.Length > 0 ? kept : throw new ArgumentException($"none of the requested {what} is allowed; check Excess first", nameof(requested));
    }
}
