using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Mandate.Server.Configuration;

namespace Mandate.Server.Fronts.Mcp;

/// <summary>
/// One stdio MCP server process, launched by Mandate for one MCP session (one client, as stdio servers expect).
/// Messages are newline-delimited JSON on stdin/stdout. Requests go out under Mandate's own ids
/// (<c>"mandate-N"</c>) and their answers are matched back; anything else the server writes (its own requests
/// and notifications) is queued for the session's GET stream.
/// </summary>
public sealed class StdioMcpSession : IAsyncDisposable
{
    private const int MaxLineChars = 32 * 1024 * 1024;
    private readonly Process _process;
    private readonly ConcurrentDictionary<string, TaskCompletionSource<byte[]>> _pending = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly Task _reader;
    private long _nextId;

    private StdioMcpSession(Process process)
    {
        _process = process;
        _reader = Task.Run(ReadLoopAsync);
        _ = Task.Run(DrainErrorsAsync);
    }

    /// <summary>Messages the server sent on its own (requests to the client, notifications), for the GET stream.</summary>
    public Channel<byte[]> ServerMessages { get; } = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(1024) { FullMode = BoundedChannelFullMode.DropOldest });

    /// <summary>True while the process runs.</summary>
    public bool IsAlive => !_process.HasExited;

    /// <summary>Launches <paramref name="server"/>'s command. Throws when it cannot be started.</summary>
    public static StdioMcpSession Launch(McpServerConfig server)
    {
        var start = new ProcessStartInfo(server.Command[0])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardInputEncoding = new UTF8Encoding(false),
            StandardOutputEncoding = new UTF8Encoding(false),
            WorkingDirectory = server.WorkingDirectory ?? "",
        };
        foreach (var argument in server.Command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"`{server.Command[0]}` did not start");
        return new StdioMcpSession(process);
    }

    /// <summary>A fresh id for a request Mandate sends (raw JSON string literal).</summary>
    public string NextId() => $"\"mandate-{Interlocked.Increment(ref _nextId)}\"";

    /// <summary>Registers the answer to <paramref name="idJson"/> before the request is written.</summary>
    public Task<byte[]> Expect(string idJson)
    {
        var source = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[idJson] = source;
        return source.Task;
    }

    /// <summary>Stops waiting for an answer.</summary>
    public void Forget(string idJson) => _pending.TryRemove(idJson, out _);

    /// <summary>Writes one message as one line.</summary>
    public async Task SendAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        // INVARIANT: one line per message. JSON from the parser may hold raw line breaks between tokens; re-serialize compactly.
        using var document = JsonDocument.Parse(message);
        var line = JsonSerializer.Serialize(document.RootElement) + "\n";
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            await _process.StandardInput.WriteAsync(line.AsMemory(), cancellationToken);
            await _process.StandardInput.FlushAsync(cancellationToken);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async Task ReadLoopAsync()
    {
        try
        {
            while (await _process.StandardOutput.ReadLineAsync() is { } line)
            {
                if (line.Length == 0 || line.Length > MaxLineChars)
                {
                    continue;
                }

                var bytes = Encoding.UTF8.GetBytes(line);
                string? id = null;
                try
                {
                    using var document = JsonDocument.Parse(bytes);
                    var root = document.RootElement;
                    if (root.ValueKind == JsonValueKind.Object && !root.TryGetProperty("method", out _) && root.TryGetProperty("id", out var idElement))
                    {
                        id = idElement.GetRawText();
                    }
                }
                catch (JsonException)
                {
                    continue; // not JSON-RPC (a log line on stdout): never relayed
                }

                if (id is not null && _pending.TryRemove(id, out var waiter))
                {
                    waiter.TrySetResult(bytes);
                }
                else
                {
                    ServerMessages.Writer.TryWrite(bytes);
                }
            }
        }
        finally
        {
            foreach (var waiter in _pending.Values)
            {
                waiter.TrySetException(new IOException("the stdio mcp server exited"));
            }

            ServerMessages.Writer.TryComplete();
        }
    }

    private async Task DrainErrorsAsync()
    {
        // stderr is the server's log; it is read so the process never blocks on a full pipe, and dropped.
        var buffer = new char[4096];
        while (await _process.StandardError.ReadAsync(buffer) > 0)
        {
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.StandardInput.Close();
                using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                try
                {
                    await _process.WaitForExitAsync(grace.Token);
                }
                catch (OperationCanceledException)
                {
                    _process.Kill(entireProcessTree: true);
                }
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        await _reader.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _process.Dispose();
        _writeLock.Dispose();
    }
}
