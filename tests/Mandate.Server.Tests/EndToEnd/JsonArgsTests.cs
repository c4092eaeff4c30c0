using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Mandate.Server.Tests.Support;

namespace Mandate.Server.Tests.EndToEnd;

/// <summary>
/// <c>args: json</c>: the request body becomes <c>context.args</c>, a policy limits <c>amount</c>, and the bytes
/// forwarded are exactly the bytes decided on. Bodies that are not one strict JSON object forward nothing.
/// </summary>
public sealed class JsonArgsTests : IAsyncLifetime
{
    private readonly GatewayFixture _gw = new()
    {
        EditConfig = text => text.TrimEnd() + """

              - method: POST
                path: /payments
                action: pay
                resource: { type: Api, id: payments }
                upstream: tickets
                args: json
                argsMaxBytes: 1024

            """,
        PrepareFiles = async dir =>
        {
            await File.WriteAllTextAsync(Path.Combine(dir, "schema.cedarschema"), GatewayFiles.Schema.Replace(
                "  entity Api;",
                """
                  type PayContext = { request: RequestFacts, token: TokenFacts, delegation: DelegationFacts, now: datetime, args?: { amount?: Long, currency?: String } };
                  action pay appliesTo { principal: [Agent], resource: [Api], context: PayContext };
                  entity Api;
                """));
            await File.AppendAllTextAsync(Path.Combine(dir, "policies", "main.cedar"), """

                @id("pay-up-to-limit")
                permit (principal, action == Mandate::Action::"pay", resource == Mandate::Api::"payments")
                when { context has args && context.args has amount && context.args.amount <= 1000 };

                @id("payment-limit")
                @reason("payments above 1000 need a human")
                forbid (principal, action == Mandate::Action::"pay", resource)
                when { context has args && context.args has amount && context.args.amount > 1000 };
                """);
        },
    };

    public Task InitializeAsync() => _gw.InitializeAsync();

    public Task DisposeAsync() => _gw.DisposeAsync();

    private async Task<HttpResponseMessage> PostAsync(HttpContent content)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_gw.DataPlane, "/payments")) { Content = content };
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + _gw.Issuer.Mint("reader-bot"));
        return await _gw.Client.SendAsync(request);
    }

    private static ByteArrayContent Json(byte[] bytes, string contentType = "application/json")
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return content;
    }

    private static async Task<string> CodeOf(HttpResponseMessage response)
    {
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return problem.RootElement.GetProperty("code").GetString()!;
    }

    [Fact]
    public async Task Post_AmountWithinLimit_ForwardsTheExactBytesDecidedOn()
    {
        // Odd spacing, escapes and key order: a re-serialized body would differ.
        var body = Encoding.UTF8.GetBytes("{ \"currency\":\"EUR\" ,\n  \"amount\" : 250, \"memo\": \"caf\\u00e9 \\\"x\\\"\", \"tags\": [\"a\", null] }");

        using var response = await PostAsync(Json(body, "application/json; charset=utf-8"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var received = Assert.Single(_gw.Upstream.Received);
        Assert.Equal(("POST", "/payments"), (received.Method, received.RawTarget));
        Assert.Equal(body, received.Body);
    }

    [Fact]
    public async Task Post_ChunkedBodyWithinLimit_ForwardsTheExactBytes()
    {
        var body = Encoding.UTF8.GetBytes("{\"amount\": 1000}");
        var content = new StreamContent(new NoLengthStream(body));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        using var response = await PostAsync(content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(body, Assert.Single(_gw.Upstream.Received).Body);
    }

    [Fact]
    public async Task Post_AmountOverLimit_Returns403WithReasonAndForwardsNothing()
    {
        using var response = await PostAsync(Json("{\"amount\": 1001}"u8.ToArray()));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(["payment-limit"], problem.RootElement.GetProperty("policies").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal(["payments above 1000 need a human"], problem.RootElement.GetProperty("reasons").EnumerateArray().Select(p => p.GetString()));
        Assert.Empty(_gw.Upstream.Received);
    }

    [Fact]
    public async Task Post_AmountNotANumber_Returns403AndForwardsNothing()
    {
        // "5" is a String: the permit's comparison errors, and an erroring permit never allows.
        using var response = await PostAsync(Json("{\"amount\": \"5\"}"u8.ToArray()));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(_gw.Upstream.Received);
    }

    [Theory]
    [InlineData("{\"amount\": 5, \"amount\": 5000}")]
    [InlineData("{\"amount\": 5, \"nested\": {\"a\": 1, \"a\": 2}}")]
    public async Task Post_DuplicateKeys_Returns400AndForwardsNothing(string body)
    {
        using var response = await PostAsync(Json(Encoding.UTF8.GetBytes(body)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("request.bad_json", await CodeOf(response));
        Assert.Contains("repeats a member name", await response.Content.ReadAsStringAsync());
        Assert.Empty(_gw.Upstream.Received);
        var decisionId = response.Headers.GetValues("X-Mandate-Decision-Id").Single();
        var record = Assert.Single(await _gw.AuditAsync(), e => e.Event.DecisionId == decisionId);
        Assert.Equal("deny", record.Event.Decision);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{\"amount\": 5")]
    [InlineData("[{\"amount\": 5}]")]
    [InlineData("{\"amount\": 5} {}")]
    [InlineData("{\"amount\": 5, /* c */ \"x\": 1}")]
    [InlineData("{\"amount\": 5, \"note\": \"\\ud800\"}")]
    [InlineData("{\"amount\": 5, \"\\udc00\": 1}")]
    [InlineData("{\"amount\": 5, \"tags\": [\"a\", {\"b\": \"\\ud800x\"}]}")]
    public async Task Post_NotOneStrictJsonObject_Returns400AndForwardsNothing(string body)
    {
        using var response = await PostAsync(Json(Encoding.UTF8.GetBytes(body)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("request.bad_json", await CodeOf(response));
        Assert.Empty(_gw.Upstream.Received);
    }

    [Fact]
    public async Task Post_InvalidUtf8_Returns400AndForwardsNothing()
    {
        using var response = await PostAsync(Json([.. "{\"amount\": 5, \"m\": \""u8, 0xC3, 0x28, .. "\"}"u8]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(_gw.Upstream.Received);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Post_BodyOverCap_Returns413AndForwardsNothing(bool chunked)
    {
        var body = Encoding.UTF8.GetBytes("{\"amount\": 5, \"pad\": \"" + new string('x', 1100) + "\"}");
        HttpContent content = chunked ? new StreamContent(new NoLengthStream(body)) : new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        using var response = await PostAsync(content);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("request.too_large", await CodeOf(response));
        Assert.Empty(_gw.Upstream.Received);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("application/json; charset=utf-16")]
    public async Task Post_NotApplicationJson_Returns415AndForwardsNothing(string contentType)
    {
        using var response = await PostAsync(Json("{\"amount\": 5}"u8.ToArray(), contentType));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("request.unsupported_media_type", await CodeOf(response));
        Assert.Empty(_gw.Upstream.Received);
    }

    /// <summary>A stream that hides its length, so the client sends the body chunked (no Content-Length).</summary>
    private sealed class NoLengthStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
