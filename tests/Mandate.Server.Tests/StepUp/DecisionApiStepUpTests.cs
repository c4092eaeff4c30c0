using System.Net;
using System.Text;
using System.Text.Json;
using Mandate.Core.Audit;

namespace Mandate.Server.Tests.StepUp;

/// <summary>
/// Step-up and session rules hold on the decision APIs as on the proxy, because they are rules of the one flow: an
/// Envoy or nginx check of a call that needs approval answers with the approval, and after a person approves it the
/// same check passes once; an AuthZEN evaluation that needs approval is a decision with <c>context.approval</c>, bound
/// to its subject; a session tainted through a check is refused egress on the proxy. Real sockets, a real gateway.
/// </summary>
public sealed class DecisionApiStepUpTests : IAsyncLifetime
{
    private StepUpFixture _f = null!;

    /// <inheritdoc />
    public async Task InitializeAsync() => _f = await StepUpFixture.StartAsync();

    /// <inheritdoc />
    public async Task DisposeAsync() => await _f.DisposeAsync();

    private async Task<HttpResponseMessage> CheckAsync(string front, HttpMethod method, string target, string token, string? approval = null)
    {
        var request = front == "envoy"
            ? new HttpRequestMessage(method, new Uri(_f.DataPlane, "/envoy/check" + target))
            : new HttpRequestMessage(HttpMethod.Get, new Uri(_f.DataPlane, "/nginx/check"))
            {
                Headers = { { "X-Original-Method", method.Method }, { "X-Original-URI", target } },
            };
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        if (approval is not null)
        {
            request.Headers.TryAddWithoutValidation("Mandate-Approval", approval);
        }

        using (request)
        {
            return await _f.Http.SendAsync(request);
        }
    }

    private static string Header(HttpResponseMessage response, string name) => response.Headers.GetValues(name).Single();

    [Theory]
    [InlineData("envoy")]
    [InlineData("nginx")]
    public async Task Check_NeedingApproval_AnswersWithTheApproval_ApprovedCheckPassesOnce(string front)
    {
        var token = _f.AgentToken("vault-bot");
        string id;
        using (var asked = await CheckAsync(front, HttpMethod.Get, "/vaults/v1", token))
        {
            Assert.Equal(HttpStatusCode.Forbidden, asked.StatusCode);
            Assert.Equal("approval.required", Header(asked, "X-Mandate-Code"));
            id = Header(asked, "X-Mandate-Approval");
            Assert.Contains(id, Header(asked, "X-Mandate-Approval-Link"));
            using var problem = JsonDocument.Parse(await asked.Content.ReadAsStringAsync());
            Assert.Equal(id, problem.RootElement.GetProperty("approvalId").GetString());
        }

        // Not approved yet: the same check is still a step-up for the same approval, never a pass.
        using (var early = await CheckAsync(front, HttpMethod.Get, "/vaults/v1", token, approval: id))
        {
            Assert.Equal(HttpStatusCode.Forbidden, early.StatusCode);
            Assert.StartsWith("approval.", Header(early, "X-Mandate-Code"));
        }

        var (code, _, error) = await _f.ApprovalsCliAsync("alice", "approve", id);
        Assert.True(code == 0, error);

        // Another vault is another call: the approval does not reach it.
        using (var other = await CheckAsync(front, HttpMethod.Get, "/vaults/v2", token, approval: id))
        {
            Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
            Assert.Equal("approval.mismatch", Header(other, "X-Mandate-Code"));
        }

        using (var passed = await CheckAsync(front, HttpMethod.Get, "/vaults/v1", token, approval: id))
        {
            Assert.Equal(HttpStatusCode.OK, passed.StatusCode);
            Assert.Equal("vault-bot", Header(passed, "X-Mandate-Agent"));
        }

        using (var again = await CheckAsync(front, HttpMethod.Get, "/vaults/v1", token, approval: id))
        {
            Assert.Equal(HttpStatusCode.Forbidden, again.StatusCode);
            Assert.Equal("approval.consumed", Header(again, "X-Mandate-Code"));
        }

        // A check forwards nothing itself.
        Assert.DoesNotContain(_f.Upstream.Received, r => r.RawTarget.StartsWith("/vaults", StringComparison.Ordinal));
        var audit = await _f.AuditAsync();
        Assert.Contains(audit, e => e.Kind == AuditEvent.Kinds.ApprovalConsumed && e.Details["approval_id"] == id);
        Assert.Contains(audit, e => e.Kind == AuditEvent.Kinds.Decision && e.Decision == "allow" && e.Details["front"] == front
            && e.Details.GetValueOrDefault("approval_id") == id);
    }

    [Fact]
    public async Task Check_OfACallWithABody_CannotBeBoundToAnApproval()
    {
        using var asked = await CheckAsync("envoy", HttpMethod.Post, "/transfers", _f.AgentToken("pay-bot"), approval: "some-approval");
        Assert.Equal(HttpStatusCode.Forbidden, asked.StatusCode);
        Assert.Equal("approval.body_unbound", Header(asked, "X-Mandate-Code"));
    }

    [Fact]
    public async Task SessionTaintedThroughACheck_IsRefusedEgressOnTheProxy()
    {
        var task = await _f.TaskTokenAsync("research-bot");
        using (var read = await CheckAsync("nginx", HttpMethod.Get, "/documents/7", task))
        {
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        }

        var before = _f.Upstream.Received.Count;
        using var mail = await _f.SendAsync(HttpMethod.Post, "/mail", task, new { to = "someone@example.com" });
        Assert.Equal(HttpStatusCode.Forbidden, mail.StatusCode);
        using var problem = JsonDocument.Parse(await mail.Content.ReadAsStringAsync());
        Assert.Equal(["no-egress-after-pii"], problem.RootElement.GetProperty("policies").EnumerateArray().Select(p => p.GetString()!));
        Assert.Equal(before, _f.Upstream.Received.Count);
    }

    private async Task<JsonElement> EvaluateAsync(string user, string vault)
    {
        var body = JsonSerializer.Serialize(new
        {
            subject = new { type = "user", id = user },
            action = new { name = "vault.open" },
            resource = new { type = "vault", id = vault },
        });
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_f.DataPlane, "/access/v1/evaluation"))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + StepUpFixture.PepKey);
        using var response = await _f.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    [Fact]
    public async Task AuthZenEvaluation_NeedingApproval_IsADecisionWithTheApproval_BoundToItsSubject()
    {
        var asked = await EvaluateAsync("dora", "v9");
        Assert.False(asked.GetProperty("decision").GetBoolean());
        var context = asked.GetProperty("context");
        Assert.Equal("approval.required", context.GetProperty("code").GetString());
        var id = context.GetProperty("approval").GetProperty("id").GetString()!;
        Assert.Contains(id, context.GetProperty("approval").GetProperty("link").GetString());

        var (code, _, error) = await _f.ApprovalsCliAsync("bob", "approve", id);
        Assert.True(code == 0, error);

        // The same question about another user is another call.
        var other = await EvaluateAsync("erin", "v9");
        Assert.False(other.GetProperty("decision").GetBoolean());
        Assert.NotEqual(id, other.GetProperty("context").GetProperty("approval").GetProperty("id").GetString());

        Assert.True((await EvaluateAsync("dora", "v9")).GetProperty("decision").GetBoolean());
        var after = await EvaluateAsync("dora", "v9");
        Assert.False(after.GetProperty("decision").GetBoolean());
        Assert.NotEqual(id, after.GetProperty("context").GetProperty("approval").GetProperty("id").GetString());
    }

    [Fact]
    public async Task AuthZenSubject_CannotApproveTheirOwnRequest()
    {
        var asked = await EvaluateAsync("alice", "v3");
        var id = asked.GetProperty("context").GetProperty("approval").GetProperty("id").GetString()!;
        var (code, output, error) = await _f.ApprovalsCliAsync("alice", "approve", id);
        Assert.NotEqual(0, code);
        Assert.Contains("approval.self", output + error);
    }
}
