using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Mandate.Core.Tokens;
using Mandate.Storage.Sqlite.Tokens;

namespace Mandate.Bench.Tokens;

/// <summary>
/// Token exchange and verification. The baseline is one bare ES256 signature over a task-token-sized input, the
/// floor any minted token pays. <c>Exchange_Sqlite_Concurrent</c> runs <see cref="Concurrent"/> exchanges at once
/// against a real <c>tokens.db</c> (group commit, <c>synchronous=FULL</c>) and reports the time per exchange, so
/// 1 / that time is the sustained exchanges per second of the whole machine.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(ShortInProcessConfig))]
public class TaskTokenBenchmarks
{
    private const int Concurrent = 512;
    private ECDsa _bareKey = null!;
    private byte[] _signingInput = null!;
    private string _dir = null!;
    private string _dir2 = null!;
    private SqliteTaskTokenStore _sqlite = null!;
    private SqliteTaskTokenStore _sqlite2 = null!;
    private TaskTokenService _durable = null!;
    private TaskTokenService _awaiting = null!;
    private TaskTokenPrincipal _awaitingRoot = null!;
    private TaskTokenService _memory = null!;
    private IssuedTaskToken _root = null!;
    private TaskTokenPrincipal _rootPrincipal = null!;
    private IssuedTaskToken _depth3 = null!;

    /// <summary>Opens both services and a chain of depth 3.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _bareKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        _signingInput = Encoding.ASCII.GetBytes(new string('a', 700));
        _dir = Directory.CreateTempSubdirectory("mandate-bench-tokens-").FullName;
        _sqlite = new SqliteTaskTokenStore(new SqliteTaskTokenStoreOptions { DataDirectory = _dir });
        var options = new TaskTokenOptions { Issuer = "https://mandate.bench" };
        _durable = TaskTokenService.OpenAsync(_sqlite, options).GetAwaiter().GetResult();
        _memory = TaskTokenService.OpenAsync(new InMemoryTaskTokenStore(), options).GetAwaiter().GetResult();
        _dir2 = Directory.CreateTempSubdirectory("mandate-bench-tokens-").FullName;
        _sqlite2 = new SqliteTaskTokenStore(new SqliteTaskTokenStoreOptions { DataDirectory = _dir2 });
        _awaiting = TaskTokenService.OpenAsync(_sqlite2, options with { AwaitDurableIssue = true }).GetAwaiter().GetResult();
        var awaitingRoot = Issue(_awaiting, RootInput(), TimeSpan.FromHours(1)).GetAwaiter().GetResult();
        _awaitingRoot = _awaiting.Verify(awaitingRoot.AccessToken, DateTimeOffset.UtcNow).Principal!;
        _root = Issue(_durable, RootInput(), TimeSpan.FromHours(1)).GetAwaiter().GetResult();
        _rootPrincipal = _durable.Verify(_root.AccessToken, DateTimeOffset.UtcNow).Principal!;
        var token = _root;
        for (var i = 1; i <= 3; i++)
        {
            token = Issue(_durable, ChildInput(_durable.Verify(token.AccessToken, DateTimeOffset.UtcNow).Principal!, "agent-" + i), null).GetAwaiter().GetResult();
        }
        _depth3 = token;
    }

    /// <summary>Closes the store and deletes its directory.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _durable.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _memory.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _sqlite.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _awaiting.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _sqlite2.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Directory.Delete(_dir, recursive: true);
        Directory.Delete(_dir2, recursive: true);
    }

    /// <summary>One ES256 signature (SHA-256 + ECDSA P-256) over 700 bytes.</summary>
    [Benchmark(Baseline = true)]
    public byte[] BareEs256Sign() => _bareKey.SignData(_signingInput, HashAlgorithmName.SHA256);

    /// <summary>Plan + issue of a delegated token, in-memory store: the CPU cost of an exchange.</summary>
    [Benchmark]
    public Task<IssuedTaskToken> Exchange_Memory() => Issue(_memory, RootInput(), null);

    /// <summary>Plan + issue of a delegated token, SQLite store (record written behind), one at a time.</summary>
    [Benchmark]
    public Task<IssuedTaskToken> Exchange_Sqlite_Sequential() => Issue(_durable, ChildInput(_rootPrincipal, "agent-x"), null);

    /// <summary><see cref="Concurrent"/> delegations at once, each waiting for its record's commit
    /// (<c>AwaitDurableIssue</c>); reported per exchange.</summary>
    [Benchmark(OperationsPerInvoke = Concurrent)]
    public async Task Exchange_SqliteAwaitDurable_Concurrent()
    {
        var tasks = new Task<IssuedTaskToken>[Concurrent];
        for (var i = 0; i < Concurrent; i++)
        {
            tasks[i] = Task.Run(() => Issue(_awaiting, ChildInput(_awaitingRoot, "agent-x"), null));
        }
        await Task.WhenAll(tasks);
    }

    /// <summary><see cref="Concurrent"/> delegations at once on the thread pool, SQLite store (records written behind);
    /// reported per exchange.</summary>
    [Benchmark(OperationsPerInvoke = Concurrent)]
    public async Task Exchange_Sqlite_Concurrent()
    {
        var tasks = new Task<IssuedTaskToken>[Concurrent];
        for (var i = 0; i < Concurrent; i++)
        {
            tasks[i] = Task.Run(() => Issue(_durable, ChildInput(_rootPrincipal, "agent-x"), null));
        }
        await Task.WhenAll(tasks);
    }

    /// <summary>Verify a root token (signature, record, revocation set).</summary>
    [Benchmark]
    public bool Verify_Root() => _durable.Verify(_root.AccessToken, DateTimeOffset.UtcNow).Ok;

    /// <summary>Verify a depth-3 token (three more hops checked).</summary>
    [Benchmark]
    public bool Verify_Depth3() => _durable.Verify(_depth3.AccessToken, DateTimeOffset.UtcNow).Ok;

    private static ExchangeInput RootInput() => new()
    {
        Actor = new ExchangeActor("agent-a", "oidc", "https://idp.bench"),
        ClientId = "agent-a",
        SubjectKind = ExchangeSubjectKind.User,
        UserId = "alice",
        Requested = new TaskGrant(["tickets.read", "tickets.write"], ["https://api.bench"], "triage tickets", ["tickets.*", "mcp.tools.call:github/*"], ["Mandate::Ticket::*"]),
    };

    private static ExchangeInput ChildInput(TaskTokenPrincipal parent, string agent) => new()
    {
        Actor = new ExchangeActor(agent, "oidc", "https://idp.bench"),
        ClientId = agent,
        SubjectKind = ExchangeSubjectKind.ParentTaskToken,
        Parent = parent,
        Requested = new TaskGrant(["tickets.read"], [], "", ["tickets.read"], []),
    };

    private static Task<IssuedTaskToken> Issue(TaskTokenService service, ExchangeInput input, TimeSpan? lifetime)
    {
        var plan = service.Plan(lifetime is null ? input : input with { RequestedLifetime = lifetime }, DateTimeOffset.UtcNow);
        return plan.Plan is { } p ? service.IssueAsync(p) : throw new InvalidOperationException(plan.Error!.ToString());
    }

    private sealed class ShortInProcessConfig : ManualConfig
    {
        public ShortInProcessConfig() =>
            AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(8)
                .WithToolchain(InProcessEmitToolchain.Instance));
    }
}
