using Mandate.Core.Errors;
using Mandate.Core.Tokens;
using Microsoft.Extensions.Time.Testing;

namespace Mandate.Core.Tests.Tokens;

/// <summary>What a token is worth when its record cannot be stored.</summary>
public class TaskTokenIssueDurabilityTests
{
    /// <summary>An in-memory store whose token writes fail (asynchronously, like a real store) once told to.</summary>
    private sealed class FailingStore : ITaskTokenStore
    {
        private readonly InMemoryTaskTokenStore _inner = new();

        public bool FailIssues { get; set; }

        public Task<TaskTokenStoreSnapshot> LoadAsync(DateTimeOffset now, CancellationToken ct = default) => _inner.LoadAsync(now, ct);

        public Task SaveSigningKeyAsync(TaskSigningKeyRecord key, CancellationToken ct = default) => _inner.SaveSigningKeyAsync(key, ct);

        public async Task SaveIssuedAsync(TaskSessionRecord session, TaskTokenRecord token, CancellationToken ct = default)
        {
            // Whether this write fails is fixed when it is handed over, not when it runs: a write-behind issue that
            // started before FailIssues was set must still succeed, however late the thread pool runs it.
            var fail = FailIssues;
            await Task.Yield();
            if (fail)
            {
                throw new TaskTokenStoreException("disk full");
            }
            await _inner.SaveIssuedAsync(session, token, ct);
        }

        public Task SaveRevocationAsync(TaskRevocationRecord revocation, CancellationToken ct = default) => _inner.SaveRevocationAsync(revocation, ct);

        public Task<int> PruneAsync(DateTimeOffset now, TimeSpan maxLifetime, CancellationToken ct = default) => _inner.PruneAsync(now, maxLifetime, ct);
    }

    private static ExchangePlan Plan(TaskTokenService service, DateTimeOffset now) =>
        service.Plan(new ExchangeInput { Actor = new ExchangeActor("agent-a", "oidc", "x"), ClientId = "agent-a" }, now).Plan!;

    [Fact]
    public async Task IssueAsync_AwaitDurable_StoreFails_ThrowsAndNoTokenExists()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var store = new FailingStore();
        await using var service = await TaskTokenService.OpenAsync(store, new TaskTokenOptions { Issuer = "https://m", AwaitDurableIssue = true }, time);
        store.FailIssues = true;
        await Assert.ThrowsAsync<TaskTokenStoreException>(() => service.IssueAsync(Plan(service, time.GetUtcNow())));
        Assert.Equal(0, service.LiveTokenCount);
    }

    [Fact]
    public async Task IssueAsync_WriteBehind_StoreFails_TokenWithdrawn()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var store = new FailingStore();
        await using var service = await TaskTokenService.OpenAsync(store, new TaskTokenOptions { Issuer = "https://m" }, time);
        var good = await service.IssueAsync(Plan(service, time.GetUtcNow()));
        store.FailIssues = true;
        var lost = await service.IssueAsync(Plan(service, time.GetUtcNow()));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (service.Verify(lost.AccessToken, time.GetUtcNow()).Ok)
        {
            Assert.True(DateTime.UtcNow < deadline, "the token whose record failed to store is still accepted");
            await Task.Delay(10);
        }
        Assert.Equal(ErrorCatalogue.TokenUnknown, service.Verify(lost.AccessToken, time.GetUtcNow()).Error!.Code);
        Assert.True(service.Verify(good.AccessToken, time.GetUtcNow()).Ok);
    }
}
