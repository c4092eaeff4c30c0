using System.Text.Json;

namespace Mandate.Core.Mcp;

/// <summary>
/// Holds an upstream's tool definitions to their pins. A new tool is trusted on first use (or held until accepted);
/// a changed definition never overwrites its pin — an administrator must accept it (<see cref="AcceptAsync(IToolPinStore, string, JsonElement, string, DateTimeOffset, CancellationToken)"/>).
/// Any store failure is <see cref="ToolPinVerdict.Unavailable"/>, which the caller treats as "do not use".
/// </summary>
public static class ToolPinCheck
{
    /// <summary>The <see cref="ToolPin.AcceptedBy"/> of a pin recorded on first use.</summary>
    public const string TrustOnFirstUse = "trust-on-first-use";

    /// <summary>Checks <paramref name="toolDefinition"/> (one item of <c>tools/list</c>) of <paramref name="server"/>.</summary>
    public static async Task<ToolPinVerdict> CheckAsync(IToolPinStore store, string server, JsonElement toolDefinition, PinMode mode, CancellationToken ct = default) =>
        (await EvaluateAsync(store, server, toolDefinition, mode, DateTimeOffset.UtcNow, ct).ConfigureAwait(false)).Verdict;

    /// <summary>Like <see cref="CheckAsync"/>, with the details (hashes, whether a pin was recorded, the error).</summary>
    public static async Task<ToolPinOutcome> EvaluateAsync(IToolPinStore store, string server, JsonElement toolDefinition, PinMode mode, DateTimeOffset now, CancellationToken ct = default)
    {
        if (!TryRead(toolDefinition, out var tool, out var hash, out var problem))
        {
            return new ToolPinOutcome(ToolPinVerdict.Unavailable, tool, null, null, false, problem);
        }
        try
        {
            var existing = await store.GetAsync(server, tool!, ct).ConfigureAwait(false);
            if (!existing.Ok)
            {
                return Unavailable(tool, hash, existing.Error!);
            }
            if (existing.Value is { } pin)
            {
                return Compare(tool, hash!, pin.Hash);
            }
            if (mode == PinMode.RequireAccepted)
            {
                return new ToolPinOutcome(ToolPinVerdict.New, tool, hash, null, false, null);
            }

            var added = await store.AddAsync(server, tool!, hash!, TrustOnFirstUse, now, ct).ConfigureAwait(false);
            if (!added.Ok)
            {
                return Unavailable(tool, hash, added.Error!);
            }
            if (added.Value)
            {
                return new ToolPinOutcome(ToolPinVerdict.New, tool, hash, null, true, null);
            }

            // Another node or request pinned it in between: compare with what won.
            var winner = await store.GetAsync(server, tool!, ct).ConfigureAwait(false);
            return winner is { Ok: true, Value: { } won }
                ? Compare(tool, hash!, won.Hash)
                : new ToolPinOutcome(ToolPinVerdict.Unavailable, tool, hash, null, false, winner.Error?.Message ?? "the pin vanished while it was being recorded");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // INVARIANT: a store that throws instead of answering still fails closed.
            return new ToolPinOutcome(ToolPinVerdict.Unavailable, tool, hash, null, false, $"the pin store failed: {ex.Message}");
        }
    }

    /// <summary>
    /// Checks every tool of a <c>tools/list</c> result, keyed by tool name, ready for the <c>keep</c> function of
    /// <see cref="McpListFilter.Filter"/>. A name the list carries twice with different definitions is
    /// <see cref="ToolPinVerdict.Changed"/> without touching the store (the upstream could serve either one).
    /// Items without a valid name are left out (the filter drops them).
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, ToolPinOutcome>> EvaluateListAsync(IToolPinStore store, string server, JsonElement toolsListResult, PinMode mode, DateTimeOffset now, CancellationToken ct = default)
    {
        var outcomes = new Dictionary<string, ToolPinOutcome>(StringComparer.Ordinal);
        if (toolsListResult.ValueKind != JsonValueKind.Object ||
            !toolsListResult.TryGetProperty(McpListFilter.ArrayMember(McpListKind.Tools), out var tools) || tools.ValueKind != JsonValueKind.Array)
        {
            return outcomes;
        }

        var byName = new Dictionary<string, List<(JsonElement Item, string Hash)>>(StringComparer.Ordinal);
        foreach (var item in tools.EnumerateArray())
        {
            if (TryRead(item, out var tool, out var hash, out _))
            {
                if (!byName.TryGetValue(tool!, out var list))
                {
                    byName[tool!] = list = [];
                }
                list.Add((item, hash!));
            }
        }
        foreach (var (tool, items) in byName)
        {
            var hashes = items.Select(i => i.Hash).Distinct(StringComparer.Ordinal).ToList();
            outcomes[tool] = hashes.Count > 1
                ? new ToolPinOutcome(ToolPinVerdict.Changed, tool, hashes[0], null, false, $"the list names tool `{tool}` {items.Count} times with different definitions")
                : await EvaluateAsync(store, server, items[0].Item, mode, now, ct).ConfigureAwait(false);
        }
        return outcomes;
    }

    /// <summary>An administrator accepts <paramref name="toolDefinition"/> as the pin of its tool (replacing any earlier pin).</summary>
    public static async Task<ToolPinStoreResult<ToolPin>> AcceptAsync(IToolPinStore store, string server, JsonElement toolDefinition, string acceptedBy, DateTimeOffset at, CancellationToken ct = default)
    {
        if (!TryRead(toolDefinition, out var tool, out var hash, out var problem))
        {
            return ToolPinStoreResult<ToolPin>.Failure(ToolPinStoreError.InvalidName, problem!);
        }
        return await AcceptAsync(store, server, tool!, hash!, acceptedBy, at, ct).ConfigureAwait(false);
    }

    /// <summary>An administrator accepts the fingerprint <paramref name="hash"/> (as reported by a <see cref="ToolPinVerdict.Changed"/> outcome).</summary>
    public static async Task<ToolPinStoreResult<ToolPin>> AcceptAsync(IToolPinStore store, string server, string tool, string hash, string acceptedBy, DateTimeOffset at, CancellationToken ct = default)
    {
        if (hash.Length != 64 || !hash.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f'))
        {
            return ToolPinStoreResult<ToolPin>.Failure(ToolPinStoreError.InvalidName, "a tool fingerprint is 64 lowercase hex characters");
        }
        var put = await store.PutAsync(server, tool, hash, acceptedBy, at, ct).ConfigureAwait(false);
        return put.Ok
            ? ToolPinStoreResult<ToolPin>.Success(new ToolPin(server, tool, hash, acceptedBy, at))
            : ToolPinStoreResult<ToolPin>.Failure(put.Error!.Code, put.Error.Message);
    }

    private static bool TryRead(JsonElement definition, out string? tool, out string? hash, out string? problem)
    {
        tool = null;
        hash = null;
        if (definition.ValueKind != JsonValueKind.Object ||
            !definition.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String ||
            !McpNames.IsValidName(name.GetString()))
        {
            problem = "the tool definition has no valid `name`";
            return false;
        }
        tool = name.GetString();
        try
        {
            hash = ToolDefinitionHash.Compute(definition);
        }
        catch (ArgumentException ex)
        {
            problem = ex.Message;
            return false;
        }
        problem = null;
        return true;
    }

    private static ToolPinOutcome Compare(string? tool, string hash, string pinned) =>
        string.Equals(hash, pinned, StringComparison.Ordinal)
            ? new ToolPinOutcome(ToolPinVerdict.Match, tool, hash, pinned, false, null)
            : new ToolPinOutcome(ToolPinVerdict.Changed, tool, hash, pinned, false, null);

    private static ToolPinOutcome Unavailable(string? tool, string? hash, ToolPinStoreError error) =>
        new(ToolPinVerdict.Unavailable, tool, hash, null, false, $"{error.Code}: {error.Message}");
}
