using System.Collections.Concurrent;
using Mandate.Core.Mcp;

namespace Mandate.Server.Fronts.Mcp;

/// <summary>Tool pins in memory: used when the host is given no store (tests and embedded use). Pins are lost on restart.</summary>
public sealed class InMemoryToolPinStore : IToolPinStore
{
    private readonly ConcurrentDictionary<(string Server, string Tool), ToolPin> _pins = new();

    /// <inheritdoc />
    public Task<ToolPinStoreResult<ToolPin?>> GetAsync(string server, string tool, CancellationToken ct = default) =>
        Task.FromResult(ToolPinStoreResult<ToolPin?>.Success(_pins.TryGetValue((server, tool), out var pin) ? pin : null));

    /// <inheritdoc />
    public Task<ToolPinStoreResult<bool>> AddAsync(string server, string tool, string hash, string acceptedBy, DateTimeOffset at, CancellationToken ct = default) =>
        Task.FromResult(ToolPinStoreResult<bool>.Success(_pins.TryAdd((server, tool), new ToolPin(server, tool, hash, acceptedBy, at))));

    /// <inheritdoc />
    public Task<ToolPinStoreResult<bool>> PutAsync(string server, string tool, string hash, string acceptedBy, DateTimeOffset at, CancellationToken ct = default)
    {
        _pins[(server, tool)] = new ToolPin(server, tool, hash, acceptedBy, at);
        return Task.FromResult(ToolPinStoreResult<bool>.Success(true));
    }

    /// <inheritdoc />
    public Task<ToolPinStoreResult<IReadOnlyList<ToolPin>>> ListAsync(string server, CancellationToken ct = default) =>
        Task.FromResult(ToolPinStoreResult<IReadOnlyList<ToolPin>>.Success(
            _pins.Values.Where(p => p.Server == server).OrderBy(p => p.Tool, StringComparer.Ordinal).ToList()));
}
