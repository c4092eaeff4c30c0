using System.Net;
using System.Text;
using System.Text.Json;
using Mandate.Core.Audit;
using Mandate.Server.Flow.Approve;

namespace Mandate.Server.Tests.StepUp;

/// <summary>
/// Step-up approval on the HTTP front over real sockets: a transfer above 50 opens an approval request bound to that
/// exact call; a person approves it with the CLI; the retried call goes through once; anything that differs does not.
/// </summary>
public sealed class ApprovalTests : IAsyncLifetime
{
    private StepUpFixture _f = null!;

    /// <inheritdoc />
    public async Task InitializeAsync() => _f = await StepUpFixture.StartAsync();

    /// <inheritdoc />
    public async Task DisposeAsync() => await _f.DisposeAsync();

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }

    private async Task<string> AskAsync(string token, long amount, string path = "/transfers")
    {
        var before = _f.Upstream.Received.Count;
        using var response = await _f.SendAsync(HttpMethod.Post, path, token, new { amount, to = "acme" });
        var problem = await JsonAsync(response);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("approval.required", problem.GetProperty("code").GetString());
        Assert.Equal(["transfers-need-approval"], problem.GetProperty("policies").EnumerateArray().Select(p => p.GetString()!));
        Assert.Equal(before, _f.Upstream.Received.Count);
        return problem.GetProperty("approvalId").GetString()!;
    }

    [Fact]
    public async Task Transfer_NeedsApproval_ApprovedWithCli_RetryGoesThroughOnce()
    {
        var token = _f.AgentToken("pay-bot");
        using (var small = await _f.SendAsync(HttpMethod.Post, "/transfers", token, new { amount = 20, to = "acme" }))
        {
            Assert.Equal(HttpStatusCode.OK, small.StatusCode);
        }

        var id = await AskAsync(token, 100);
        var (code, output, error) = await _f.ApprovalsCliAsync("alice", "approve", id, "--comment", "looks right");
        Assert.True(code == 0, error);
        Assert.Contains("\"approved\"", output);

        var before = _f.Upstream.Received.Count;
        using (var retried = await _f.SendAsync(HttpMethod.Post, "/transfers", token, new { amount = 100, to = "acme" }, approval: id))
        {
            Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        }

        Assert.Equal(before + 1, _f.Upstream.Received.Count);
        Assert.Equal("""{"amount":100,"to":"acme"}""", Encoding.UTF8.GetString(_f.Upstream.Received[^1].Body));

        using (var again = await _f.SendAsync(HttpMethod.Post, "/transfers", token, new { amount = 100, to = "acme" }, approval: id))
        {
            Assert.Equal(HttpStatusCode.Forbidden, again.StatusCode);
            Assert.Equal("approval.consumed", (await JsonAsync(again)).GetProperty("code").GetString());
        }

        Assert.Equal(before + 1, _f.Upstream.Received.Count);
        var audit = await _f.AuditAsync();
        Assert.Contains(audit, e => e.Kind == AuditEvent.Kinds.ApprovalRequested && e.Details["approval_id"] == id);
        Assert.Contains(audit, e => e.Kind == AuditEvent.Kinds.ApprovalDecided && e.Details["approval_id"] == id && e.Details["by"] == "alice" && e.Details["comment"] == "looks right");
        Assert.Contains(audit, e => e.Kind == AuditEvent.Kinds.ApprovalConsumed && e.Details["approval_id"] == id);
        Assert.Contains(audit, e => e.Kind == AuditEvent.Kinds.Decision && e.Decision == "allow" && e.Details.GetValueOrDefault("approval_id") == id);
    }

    [Fact]
    public async Task ApprovalFor100_DoesNotLet1000Through()
    {
        var token = _f.AgentToken("pay-bot");
        var id = await AskAsync(token, 100);
        Assert.Equal(0, (await _f.ApprovalsCliAsync("bob", "approve", id)).Code);

        var before = _f.Upstream.Received.Count;
        using var bigger = await _f.SendAsync(HttpMethod.Post, "/transfers", token, new { amount = 1000, to = "acme" }, approval: id);
        Assert.Equal(HttpStatusCode.Forbidden, bigger.StatusCode);
        Assert.Equal("approval.mismatch", (await JsonAsync(bigger)).GetProperty("code").GetString());

        // Another agent repeating the approved call exactly does not get it either.
        using var stranger = await _f.SendAsync(HttpMethod.Post, "/transfers", _f.AgentToken("other-bot"), new { amount = 100, to = "acme" }, approval: id);
        Assert.Equal("approval.mismatch", (await JsonAsync(stranger)).GetProperty("code").GetString());
        Assert.Equal(before, _f.Upstream.Received.Count);
    }

    [Fact]
    public async Task OneApproval_FiftyConcurrentRetries_ExactlyOneReachesTheUpstream()
    {
        var token = _f.AgentToken("pay-bot");
        var id = await AskAsync(token, 300);
        Assert.Equal(0, (await _f.ApprovalsCliAsync("alice", "approve", id)).Code);

        var before = _f.Upstream.Received.Count;
        var answers = await Task.WhenAll(Enumerable.Range(0, 50).Select(async _ =>
        {
            using var response = await _f.SendAsync(HttpMethod.Post, "/transfers", token, new { amount = 300, to = "acme" }, approval: id);
            return response.StatusCode;
        }));

        Assert.Equal(1, answers.Count(a => a == HttpStatusCode.OK));
        Assert.Equal(49, answers.Count(a => a == HttpStatusCode.Forbidden));
        Assert.Equal(before + 1, _f.Upstream.Received.Count);
    }

    [Fact]
    public async Task RepeatingTheApprovedCallExactly_UsesTheApprovalWithoutNamingIt()
    {
        var token = _f.AgentToken("pay-bot");
        var id = await AskAsync(token, 77);
        Assert.Equal(0, (await _f.ApprovalsCliAsync("alice", "approve", id)).Code);

        using var retried = await _f.SendAsync(HttpMethod.Post, "/transfers", token, new { amount = 77, to = "acme" });
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        using var status = await _f.SendAsync(HttpMethod.Get, ApprovalDesk.StatusPath + id, token);
        Assert.Equal("consumed", (await JsonAsync(status)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Approver_CannotApproveARequestMadeForThem()
    {
        // pay-bot acts for alice: alice may not approve it, bob may.
        var token = _f.AgentToken("pay-bot", user: "alice");
        var id = await AskAsync(token, 150);
        var (code, _, error) = await _f.ApprovalsCliAsync("alice", "approve", id);
        Assert.Equal(1, code);
        Assert.Contains("approval.self", error);

        using (var still = await _f.SendAsync(HttpMethod.Post, "/transfers", token, new { amount = 150, to = "acme" }, approval: id))
        {
            Assert.Equal("approval.pending", (await JsonAsync(still)).GetProperty("code").GetString());
        }

        Assert.Equal(0, (await _f.ApprovalsCliAsync("bob", "approve", id)).Code);
        using var retried = await _f.SendAsync(HttpMethod.Post, "/transfers", token, new { amount = 150, to = "acme" }, approval: id);
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
    }

    [Fact]
    public async Task Agent_CannotApproveWithItsOwnCredential_AndAdminCannotApprove()
    {
        var token = _f.AgentToken("pay-bot");
        var id = await AskAsync(token, 90);

        using (var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_f.ControlPlane, "/v1/approvals/" + id + "/approve")))
        {
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
            using var response = await _f.Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        var (code, _, error) = await _f.ApprovalsCliAsync("admin", "approve", id);
        Assert.Equal(1, code);
        Assert.Contains("approval.not_approver", error);
        var (listed, output, _) = await _f.ApprovalsCliAsync("admin", "show", id);
        Assert.Equal(0, listed);
        Assert.Contains("\"pending\"", output);
        Assert.Contains("\"amount\": 90", output);
    }

    [Fact]
    public async Task ExpiredApproval_IsRefused()
    {
        var token = _f.AgentToken("pay-bot");
        var id = await AskAsync(token, 60, "/transfers-brief");
        Assert.Equal(0, (await _f.ApprovalsCliAsync("alice", "approve", id)).Code);
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        var before = _f.Upstream.Received.Count;
        using var late = await _f.SendAsync(HttpMethod.Post, "/transfers-brief", token, new { amount = 60, to = "acme" }, approval: id);
        Assert.Equal("approval.expired", (await JsonAsync(late)).GetProperty("code").GetString());
        Assert.Equal(before, _f.Upstream.Received.Count);
    }

    [Fact]
    public async Task Webhook_IsSignedWithHmacOverTimestampAndBody()
    {
        var token = _f.AgentToken("pay-bot");
        var id = await AskAsync(token, 500);
        var hook = _f.Webhook.Received.FirstOrDefault(r => Encoding.UTF8.GetString(r.Body).Contains(id, StringComparison.Ordinal));
        for (var i = 0; hook is null && i < 100; i++)
        {
            await Task.Delay(50);
            hook = _f.Webhook.Received.FirstOrDefault(r => Encoding.UTF8.GetString(r.Body).Contains(id, StringComparison.Ordinal));
        }

        Assert.NotNull(hook);
        var signature = hook.Header(ApprovalNotifier.SignatureHeader)!;
        var parts = signature.Split(',').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        var timestamp = long.Parse(parts["t"], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - timestamp, -5, 300);
        var expected = System.Security.Cryptography.HMACSHA256.HashData(Encoding.UTF8.GetBytes(StepUpFixture.WebhookSecret),
            Encoding.ASCII.GetBytes(parts["t"] + ".").Concat(hook.Body).ToArray());
        Assert.Equal(Convert.ToHexStringLower(expected), parts["v1"]);

        var body = JsonDocument.Parse(hook.Body).RootElement;
        Assert.Equal("pay-bot", body.GetProperty("agent").GetString());
        Assert.Equal(500, body.GetProperty("arguments").GetProperty("amount").GetInt32());
        Assert.EndsWith("/v1/approvals/" + id, body.GetProperty("link").GetString());
    }

    [Fact]
    public async Task HeldRoute_WaitsForTheApprover_ThenForwards()
    {
        var token = _f.AgentToken("pay-bot");
        var before = _f.Upstream.Received.Count;
        var call = _f.SendAsync(HttpMethod.Post, "/transfers-held", token, new { amount = 250, to = "acme" });
        string? id = null;
        for (var i = 0; id is null && i < 200; i++)
        {
            await Task.Delay(50);
            var (_, output, _) = await _f.ApprovalsCliAsync("alice", "list", "--status", "pending");
            id = JsonDocument.Parse(output).RootElement.EnumerateArray().Where(a => a.GetProperty("target").GetString() == "POST /transfers-held")
                .Select(a => a.GetProperty("id").GetString()).FirstOrDefault();
        }

        Assert.NotNull(id);
        Assert.False(call.IsCompleted);
        Assert.Equal(0, (await _f.ApprovalsCliAsync("alice", "approve", id)).Code);
        using var response = await call;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(before + 1, _f.Upstream.Received.Count);
    }

    [Fact]
    public async Task HeldRoute_ClientHangsUp_NothingIsForwarded()
    {
        var token = _f.AgentToken("pay-bot");
        var before = _f.Upstream.Received.Count;
        using var gone = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _f.SendAsync(HttpMethod.Post, "/transfers-held", token, new { amount = 260, to = "acme" }, cancellationToken: gone.Token));

        var (_, output, _) = await _f.ApprovalsCliAsync("alice", "list", "--status", "pending");
        var id = JsonDocument.Parse(output).RootElement.EnumerateArray().Last(a => a.GetProperty("target").GetString() == "POST /transfers-held").GetProperty("id").GetString()!;
        Assert.Equal(0, (await _f.ApprovalsCliAsync("alice", "approve", id)).Code);
        await Task.Delay(500);
        Assert.Equal(before, _f.Upstream.Received.Count);
    }

    [Fact]
    public async Task RouteWithUnreadBody_CannotBindAnApproval()
    {
        var before = _f.Upstream.Received.Count;
        using var response = await _f.SendAsync(HttpMethod.Post, "/transfers-raw", _f.AgentToken("pay-bot"), new { amount = 999 }, approval: "anything");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("approval.body_unbound", (await JsonAsync(response)).GetProperty("code").GetString());
        Assert.Equal(before, _f.Upstream.Received.Count);
    }
}
