using Mandate.Core.Errors;
using System.Security.Cryptography;
using System.Text.Json;
using Mandate.Core.Tokens;
using Mandate.Storage.Sqlite.Tokens;
using Microsoft.Data.Sqlite;

namespace Mandate.Storage.Sqlite.Tests.Tokens;

public class SqliteTaskTokenStoreTests
{
    private const string Issuer = "https://mandate.test";

    private static TaskGrant Grant(string[]? scopes = null, string[]? tools = null) => new(scopes ?? [], [], "triage", tools ?? [], []);

    private sealed class Node : IAsyncDisposable
    {
        public required SqliteTaskTokenStore Store { get; init; }

        public required TaskTokenService Service { get; init; }

        public static async Task<Node> OpenAsync(string dir, TimeProvider? time = null, TaskTokenOptions? options = null, byte[]? kek = null)
        {
            var store = new SqliteTaskTokenStore(new SqliteTaskTokenStoreOptions { DataDirectory = dir, KeyEncryptionKey = kek });
            var service = await TaskTokenService.OpenAsync(store, options ?? new TaskTokenOptions { Issuer = Issuer }, time);
            return new Node { Store = store, Service = service };
        }

        public async Task<IssuedTaskToken> RootAsync(string agent, TaskGrant grant, string? user = null)
        {
            var plan = Service.Plan(new ExchangeInput
            {
                Actor = new ExchangeActor(agent, "oidc", "x"),
                ClientId = agent,
                SubjectKind = user is null ? ExchangeSubjectKind.None : ExchangeSubjectKind.User,
                UserId = user,
                Requested = grant,
                RequestedLifetime = TimeSpan.FromMinutes(30),
            }, Now);
            return await Service.IssueAsync(plan.Plan!);
        }

        public async Task<IssuedTaskToken> ChildAsync(IssuedTaskToken parent, string agent, TaskGrant grant)
        {
            var plan = Service.Plan(new ExchangeInput
            {
                Actor = new ExchangeActor(agent, "oidc", "x"),
                ClientId = agent,
                SubjectKind = ExchangeSubjectKind.ParentTaskToken,
                Parent = Service.Verify(parent.AccessToken, Now).Principal,
                Requested = grant,
            }, Now);
            Assert.True(plan.Ok, plan.Error?.ToString());
            return await Service.IssueAsync(plan.Plan!);
        }

        public DateTimeOffset Now => DateTimeOffset.UtcNow;

        public async ValueTask DisposeAsync()
        {
            await Service.DisposeAsync();
            await Store.DisposeAsync();
        }
    }

    [Fact]
    public async Task Restart_NewServiceOverSameFile_KeepsKeysTokensSessionsAndRevocations()
    {
        using var dir = new TempDirectory();
        string kid;
        IssuedTaskToken root, child, revokedChild, otherRoot;
        await using (var first = await Node.OpenAsync(dir.Path))
        {
            kid = first.Service.Keys.Active.KeyId;
            root = await first.RootAsync("agent-a", Grant(scopes: ["read", "write"]), user: "alice");
            child = await first.ChildAsync(root, "agent-b", Grant(scopes: ["read"]));
            otherRoot = await first.RootAsync("agent-c", Grant());
            revokedChild = await first.ChildAsync(otherRoot, "agent-d", Grant());
            await first.Service.RevokeAsync(RevocationTarget.Token(otherRoot.Jti), "test");
            Assert.False(first.Service.Verify(revokedChild.AccessToken, first.Now).Ok);
        }

        await using var second = await Node.OpenAsync(dir.Path);
        Assert.Equal(kid, second.Service.Keys.Active.KeyId);
        var check = second.Service.Verify(child.AccessToken, second.Now);
        Assert.True(check.Ok, check.Error?.ToString());
        Assert.Equal(["agent-a", "agent-b"], check.Principal!.Chain);
        Assert.Equal(["read"], check.Principal.Grant.Scopes);
        Assert.Equal(root.SessionId, second.Service.FindSession(child.SessionId)!.ParentId);
        Assert.Equal(ErrorCatalogue.TokenRevoked, second.Service.Verify(otherRoot.AccessToken, second.Now).Error!.Code);
        Assert.Equal(ErrorCatalogue.TokenRevoked, second.Service.Verify(revokedChild.AccessToken, second.Now).Error!.Code);

        // A revocation made after the restart also lands on tokens from before it.
        await second.Service.RevokeAsync(RevocationTarget.User("alice"), "offboarded");
        Assert.False(second.Service.Verify(child.AccessToken, second.Now).Ok);
    }

    [Fact]
    public async Task Open_CreatesTokensDbWithMode600AndWal()
    {
        using var dir = new TempDirectory();
        await using (var node = await Node.OpenAsync(dir.Path))
        {
            await node.RootAsync("agent-a", Grant());
        }
        var path = Path.Combine(dir.Path, "tokens.db");
        Assert.True(File.Exists(path));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "PRAGMA journal_mode;";
        Assert.Equal("wal", (string)cmd.ExecuteScalar()!);
    }

    [Fact]
    public async Task Rotation_SurvivesRestart_OldTokenValidBothKeysPublished()
    {
        using var dir = new TempDirectory();
        var time = new ManualTime(DateTimeOffset.UtcNow);
        var options = new TaskTokenOptions { Issuer = Issuer, KeyRotation = TimeSpan.FromMinutes(10) };
        IssuedTaskToken old;
        string firstKid;
        await using (var node = await Node.OpenAsync(dir.Path, time, options))
        {
            firstKid = node.Service.Keys.Active.KeyId;
            old = await IssueAt(node.Service, time.GetUtcNow(), TimeSpan.FromMinutes(30));
        }
        time.Now += TimeSpan.FromMinutes(11);
        await using var restarted = await Node.OpenAsync(dir.Path, time, options);
        // Rotation is due at start-up: a new key signs, the old one still verifies and is published.
        Assert.NotEqual(firstKid, restarted.Service.Keys.Active.KeyId);
        Assert.True(restarted.Service.Verify(old.AccessToken, time.GetUtcNow()).Ok);
        var kids = JsonDocument.Parse(restarted.Service.Keys.JwksJson(time.GetUtcNow())).RootElement.GetProperty("keys").EnumerateArray()
            .Select(k => k.GetProperty("kid").GetString()!).ToArray();
        Assert.Equal([restarted.Service.Keys.Active.KeyId, firstKid], kids);
        var fresh = await IssueAt(restarted.Service, time.GetUtcNow());
        Assert.True(restarted.Service.Verify(fresh.AccessToken, time.GetUtcNow()).Ok);
    }

    [Fact]
    public async Task KeyEncryptionKey_SealsPrivateKey_WrongKeyRefusesToStart()
    {
        using var dir = new TempDirectory();
        var kek = RandomNumberGenerator.GetBytes(32);
        IssuedTaskToken token;
        await using (var node = await Node.OpenAsync(dir.Path, kek: kek))
        {
            token = await node.RootAsync("agent-a", Grant());
        }
        using (var connection = new SqliteConnection($"Data Source={Path.Combine(dir.Path, "tokens.db")};Pooling=False"))
        {
            connection.Open();
            using var cmd = connection.CreateCommand();
            cmd.CommandText = "SELECT private_key FROM tt_signing_keys;";
            var blob = (byte[])cmd.ExecuteScalar()!;
            using var probe = ECDsa.Create();
            Assert.ThrowsAny<CryptographicException>(() => probe.ImportPkcs8PrivateKey(blob, out _));
        }
        await using (var again = await Node.OpenAsync(dir.Path, kek: kek))
        {
            Assert.True(again.Service.Verify(token.AccessToken, again.Now).Ok);
        }
        var store = new SqliteTaskTokenStore(new SqliteTaskTokenStoreOptions { DataDirectory = dir.Path, KeyEncryptionKey = RandomNumberGenerator.GetBytes(32) });
        await Assert.ThrowsAsync<TaskTokenStoreException>(() => TaskTokenService.OpenAsync(store, new TaskTokenOptions { Issuer = Issuer }));
        await store.DisposeAsync();
    }

    [Fact]
    public async Task IssueAsync_ManyConcurrentAwaitingDurability_AllOnDiskBeforeShutdown()
    {
        using var dir = new TempDirectory();
        IssuedTaskToken[] tokens;
        await using (var node = await Node.OpenAsync(dir.Path, options: new TaskTokenOptions { Issuer = Issuer, AwaitDurableIssue = true }))
        {
            var root = await node.RootAsync("agent-a", Grant(scopes: ["read"]));
            tokens = await Task.WhenAll(Enumerable.Range(0, 500).Select(i => Task.Run(() => node.ChildAsync(root, $"agent-{i}", Grant()))));
            // Every awaited issue is already committed: a second reader sees all of them before the writer is shut down.
            Assert.Equal(501, (await node.Store.LoadAsync(node.Now)).Tokens.Count);
        }
        await using var restarted = await Node.OpenAsync(dir.Path);
        Assert.All(tokens, t => Assert.True(restarted.Service.Verify(t.AccessToken, restarted.Now).Ok));
        Assert.Equal(501, restarted.Service.LiveTokenCount);
    }

    [Fact]
    public async Task PruneAsync_RemovesExpiredRows()
    {
        using var dir = new TempDirectory();
        var time = new ManualTime(DateTimeOffset.UtcNow);
        await using var node = await Node.OpenAsync(dir.Path, time);
        await IssueAt(node.Service, time.GetUtcNow(), TimeSpan.FromMinutes(1));
        var live = await IssueAt(node.Service, time.GetUtcNow(), TimeSpan.FromMinutes(30));
        await node.Service.RevokeAsync(RevocationTarget.Agent("nobody"), "x");
        time.Now += TimeSpan.FromMinutes(2);
        Assert.True(await node.Service.PruneAsync() >= 2); // a token and its session
        var snapshot = await node.Store.LoadAsync(time.GetUtcNow());
        Assert.Single(snapshot.Tokens);
        Assert.Single(snapshot.Revocations);
        Assert.True(node.Service.Verify(live.AccessToken, time.GetUtcNow()).Ok);
    }

    [Fact]
    public async Task Store_DataDirectoryIsAFile_IssueFailsWithStoreError()
    {
        using var dir = new TempDirectory();
        var file = dir.File("not-a-dir");
        await File.WriteAllTextAsync(file, "x");
        var store = new SqliteTaskTokenStore(new SqliteTaskTokenStoreOptions { DataDirectory = file });
        await Assert.ThrowsAsync<TaskTokenStoreException>(() => TaskTokenService.OpenAsync(store, new TaskTokenOptions { Issuer = Issuer }));
        await Assert.ThrowsAsync<TaskTokenStoreException>(() => store.SaveRevocationAsync(
            new TaskRevocationRecord(RevocationTarget.User("u"), "x", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddHours(1))));
        await store.DisposeAsync();
    }

    private static async Task<IssuedTaskToken> IssueAt(TaskTokenService service, DateTimeOffset now, TimeSpan? lifetime = null)
    {
        var plan = service.Plan(new ExchangeInput { Actor = new ExchangeActor("agent-a", "oidc", "x"), ClientId = "agent-a", RequestedLifetime = lifetime }, now);
        return await service.IssueAsync(plan.Plan!);
    }

    /// <summary>A clock the test moves by hand.</summary>
    private sealed class ManualTime(DateTimeOffset start) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = start;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
