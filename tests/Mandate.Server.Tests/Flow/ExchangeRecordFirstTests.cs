using System.Net;
using System.Text.Json;
using Mandate.Storage.Sqlite.Tokens;

namespace Mandate.Server.Tests.Flow;

/// <summary>
/// The token endpoint records the exchange before it issues the token: when the decision record cannot be made
/// durable, the answer is <c>server_error</c> with <c>audit.unavailable</c> and no token exists — not in the answer,
/// not in the token store.
/// </summary>
public sealed class ExchangeRecordFirstTests
{
    [Fact]
    public async Task Exchange_AuditLogGone_NoTokenIssuedOrStored()
    {
        await using var f = await OneFlowFixture.StartAsync();
        var before = await TokensStoredAsync(f);
        using (var ok = await f.ExchangeAsync(f.AgentToken("agent-a"), null))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        Assert.Equal(before + 1, await TokensStoredAsync(f));

        // The audit log refuses to start a new chain in place of a deleted one: every append now fails.
        Directory.Delete(Path.Combine(f.Directory, "data", "audit"), recursive: true);
        using var refused = await f.ExchangeAsync(f.AgentToken("agent-a"), null);
        using var body = JsonDocument.Parse(await refused.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal("server_error", body.RootElement.GetProperty("error").GetString());
        Assert.Equal("audit.unavailable", body.RootElement.GetProperty("code").GetString());
        Assert.False(body.RootElement.TryGetProperty("access_token", out _));
        Assert.Equal(before + 1, await TokensStoredAsync(f));
    }

    private static async Task<int> TokensStoredAsync(OneFlowFixture f)
    {
        await using var store = new SqliteTaskTokenStore(new SqliteTaskTokenStoreOptions { DataDirectory = Path.Combine(f.Directory, "data") });
        return (await store.LoadAsync(DateTimeOffset.UtcNow)).Tokens.Count;
    }
}
