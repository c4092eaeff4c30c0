using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Mandate.Demo.Tests;

public sealed class SampleApiTests : IAsyncLifetime
{
    private const string Key = "legacy-key-for-tests";
    private SampleApi _api = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _api = await SampleApi.StartAsync(new SampleApiOptions { LegacyApiKey = Key }, TimeProvider.System, CancellationToken.None);
        _http = new HttpClient { BaseAddress = _api.BaseAddress };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _api.DisposeAsync();
    }

    [Fact]
    public void StartAsync_PortZero_ListensOnLoopbackOnly()
    {
        Assert.Equal("127.0.0.1", _api.BaseAddress.Host);
        Assert.NotEqual(0, _api.BaseAddress.Port);
    }

    [Fact]
    public async Task Tickets_CreateThenPatch_ChangesAreVisible()
    {
        var created = await _http.PostAsJsonAsync("/tickets", new { title = "Broken chair" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var ticket = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = ticket.GetProperty("id").GetString();

        var patched = await _http.PatchAsJsonAsync($"/tickets/{id}", new { status = "closed" });
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);

        var read = await _http.GetFromJsonAsync<JsonElement>($"/tickets/{id}");
        Assert.Equal("closed", read.GetProperty("status").GetString());
        Assert.Equal("Broken chair", read.GetProperty("title").GetString());
        var all = await _http.GetFromJsonAsync<JsonElement>("/tickets");
        Assert.Contains(all.EnumerateArray(), t => t.GetProperty("id").GetString() == id);
    }

    [Fact]
    public async Task Tickets_PatchWithUnknownStatus_Returns400()
    {
        var response = await _http.PatchAsJsonAsync("/tickets/1001", new { status = "maybe" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Tickets_BodyWithDuplicateProperty_IsRefused()
    {
        using var body = new StringContent("""{"title":"a","title":"b"}""", System.Text.Encoding.UTF8, "application/json");
        var response = await _http.PostAsync("/tickets", body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Documents_Secret_IsServedByTheApiItself()
    {
        // The API has no notion of agents: keeping secrets from them is the gateway's job.
        var doc = await _http.GetFromJsonAsync<JsonElement>("/documents/merger-plan");
        Assert.Equal("secret", doc.GetProperty("classification").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync("/documents/nope")).StatusCode);
    }

    [Fact]
    public async Task Payments_CreateThenRead_ReturnsPayment()
    {
        var created = await _http.PostAsJsonAsync("/payments", new { amount = 1250, payee = "ACME" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var location = created.Headers.Location!.ToString();
        var payment = await _http.GetFromJsonAsync<JsonElement>(location);
        Assert.Equal(1250, payment.GetProperty("amount").GetInt64());
        Assert.Equal("EUR", payment.GetProperty("currency").GetString());
    }

    [Fact]
    public async Task Payments_NonPositiveAmount_Returns400()
    {
        var response = await _http.PostAsJsonAsync("/payments", new { amount = 0, payee = "ACME" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task LegacyReports_WithoutOrWithWrongKey_Returns401()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await _http.GetAsync("/legacy/reports")).StatusCode);
        using var wrong = new HttpRequestMessage(HttpMethod.Get, "/legacy/reports");
        wrong.Headers.Add(SampleApi.ApiKeyHeader, "guess");
        Assert.Equal(HttpStatusCode.Unauthorized, (await _http.SendAsync(wrong)).StatusCode);
    }

    [Fact]
    public async Task LegacyReports_WithKey_Returns200AndIsRecorded()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/legacy/reports");
        request.Headers.Add(SampleApi.ApiKeyHeader, Key);
        Assert.Equal(HttpStatusCode.OK, (await _http.SendAsync(request)).StatusCode);
        Assert.Contains(_api.ReceivedRequests, r => r.Path == "/legacy/reports" && r.ApiKey == Key && !r.HadAuthorization);
    }
}
