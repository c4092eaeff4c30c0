using System.Text;
using System.Text.Json;

namespace Mandate.Server.Tests.DecisionApis;

/// <summary>
/// The Search APIs against brute force: for each query, every known entity of the searched kind is asked about through
/// <c>/access/v1/evaluations</c>, and the search (read page by page) must return exactly those allowed. Paging stays
/// stable while the policies are reloaded between pages.
/// </summary>
public sealed class AuthZenSearchTests : IAsyncLifetime
{
    private const int Users = 120;
    private const int Docs = 40;
    private DecisionApiGateway _g = null!;

    private static string Policies(string readers) => $$$"""
        @id("group-readers")
        permit (principal in Mandate::Group::"{{{readers}}}", action == Mandate::Action::"read", resource in Mandate::Folder::"f1");
        @id("one-editor")
        permit (principal == Mandate::User::"u042", action == Mandate::Action::"edit", resource);
        @id("public-view")
        permit (principal is Mandate::User, action == Mandate::Action::"view", resource is Mandate::Doc) when { resource.public };
        @id("no-suspended")
        forbid (principal, action, resource) when { principal has suspended && principal.suspended };
        """;

    private static string Entities()
    {
        var all = new List<object>();
        for (var i = 0; i < Users; i++)
        {
            all.Add(new { uid = new { type = "Mandate::User", id = $"u{i:000}" }, attrs = new { suspended = i % 17 == 3 }, parents = new[] { new { type = "Mandate::Group", id = $"g{i % 6}" } } });
        }

        for (var j = 0; j < Docs; j++)
        {
            all.Add(new { uid = new { type = "Mandate::Doc", id = $"d{j:00}" }, attrs = new { @public = j % 5 == 0 }, parents = new[] { new { type = "Mandate::Folder", id = $"f{j % 4}" } } });
        }

        return JsonSerializer.Serialize(all);
    }

    /// <inheritdoc />
    public async Task InitializeAsync() => _g = await DecisionApiGateway.StartAsync(Policies("g1"), Entities(), """
          authzen:
            types: { user: User, doc: Doc }
            pageSize: 7
            clients:
              - { name: search-app, apiKeySha256: "{{apiKeySha256}}", subjects: [ "user:*" ] }
        """);

    /// <inheritdoc />
    public async Task DisposeAsync() => await _g.DisposeAsync();

    [Theory]
    [InlineData("read", "d01")]
    [InlineData("read", "d02")]
    [InlineData("view", "d05")]
    [InlineData("edit", "d33")]
    public async Task SubjectSearch_EqualsBruteForce(string action, string doc)
    {
        var found = await AllPagesAsync("/access/v1/search/subject",
            $$$"""{"subject":{"type":"user"},"action":{"name":"{{{action}}}"},"resource":{"type":"doc","id":"{{{doc}}}"}}""", "id");
        var brute = await AllowedAsync(Enumerable.Range(0, Users).Select(i => (Subject: $"u{i:000}", Action: action, Doc: doc)));
        Assert.Equal(brute.Select(b => b.Subject), found);
    }

    [Theory]
    [InlineData("u001", "read")]
    [InlineData("u042", "edit")]
    [InlineData("u020", "view")]
    [InlineData("u003", "view")]
    public async Task ResourceSearch_EqualsBruteForce(string user, string action)
    {
        var found = await AllPagesAsync("/access/v1/search/resource",
            $$$"""{"subject":{"type":"user","id":"{{{user}}}"},"action":{"name":"{{{action}}}"},"resource":{"type":"doc"}}""", "id");
        var brute = await AllowedAsync(Enumerable.Range(0, Docs).Select(j => (Subject: user, Action: action, Doc: $"d{j:00}")));
        Assert.Equal(brute.Select(b => b.Doc), found);
    }

    [Theory]
    [InlineData("u042", "d05")]
    [InlineData("u001", "d05")]
    [InlineData("u003", "d05")]
    public async Task ActionSearch_EqualsBruteForce(string user, string doc)
    {
        var found = await AllPagesAsync("/access/v1/search/action",
            $$$"""{"subject":{"type":"user","id":"{{{user}}}"},"resource":{"type":"doc","id":"{{{doc}}}"}}""", "name");
        var brute = await AllowedAsync(new[] { "delete", "edit", "read", "view" }.Select(a => (Subject: user, Action: a, Doc: doc)));
        Assert.Equal(brute.Select(b => b.Action), found);
    }

    [Fact]
    public async Task SubjectSearch_PagingIsStableWhilePoliciesReload()
    {
        // Version A lets g1 read f1, version B g2. Paging with reloads in between must repeat nothing, return only users
        // some version allowed, and miss none that both allowed (here: none, as the groups differ; so check the union).
        var query = """{"subject":{"type":"user"},"action":{"name":"read"},"resource":{"type":"doc","id":"d01"}}""";
        var allowedA = await AllPagesAsync("/access/v1/search/subject", query, "id");
        await _g.ReloadPoliciesAsync(Policies("g2"));
        var allowedB = await AllPagesAsync("/access/v1/search/subject", query, "id");
        Assert.Empty(allowedA.Intersect(allowedB));

        using var reloads = new CancellationTokenSource();
        var version = 0;
        var reloader = Task.Run(async () =>
        {
            while (!reloads.IsCancellationRequested)
            {
                await _g.ReloadPoliciesAsync(Policies(version++ % 2 == 0 ? "g1" : "g2"));
                await Task.Delay(5);
            }
        });
        try
        {
            // At least 5 rounds, and on until reloads happened in between (a fast audit log can finish 5 rounds first).
            for (var round = 0; round < 5 || (Volatile.Read(ref version) <= 2 && round < 500); round++)
            {
                var seen = await AllPagesAsync("/access/v1/search/subject", query, "id");
                Assert.Equal(seen.Count, seen.Distinct().Count());
                Assert.All(seen, s => Assert.True(allowedA.Contains(s) || allowedB.Contains(s), s));
                Assert.Equal(seen.Order(StringComparer.Ordinal), seen);
            }
        }
        finally
        {
            await reloads.CancelAsync();
            await reloader;
        }

        Assert.True(version > 2, "the policies were reloaded while paging");
    }

    [Fact]
    public async Task Search_APageTokenOfAnotherQuery_Is400()
    {
        using var first = await _g.PostAsync("/access/v1/search/subject", """{"subject":{"type":"user"},"action":{"name":"view"},"resource":{"type":"doc","id":"d05"}}""");
        var token = JsonDocument.Parse(await first.Content.ReadAsStringAsync()).RootElement.GetProperty("page").GetProperty("next_token").GetString();
        Assert.False(string.IsNullOrEmpty(token));
        using var other = await _g.PostAsync("/access/v1/search/subject",
            $$$"""{"subject":{"type":"user"},"action":{"name":"view"},"resource":{"type":"doc","id":"d10"},"page":{"token":"{{{token}}}"}}""");
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, other.StatusCode);
    }

    // Follows next_token to the end; returns the `key` of every result, in order.
    private async Task<List<string>> AllPagesAsync(string path, string query, string key)
    {
        var results = new List<string>();
        string? token = null;
        for (var pages = 0; pages < 100; pages++)
        {
            var body = token is null ? query : query[..^1] + $$$""","page":{"token":"{{{token}}}"}}""";
            using var response = await _g.PostAsync(path, body);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, text);
            var root = JsonDocument.Parse(text).RootElement;
            results.AddRange(root.GetProperty("results").EnumerateArray().Select(r => r.GetProperty(key).GetString()!));
            token = root.GetProperty("page").GetProperty("next_token").GetString();
            if (string.IsNullOrEmpty(token))
            {
                return results;
            }
        }

        throw new InvalidOperationException("paging did not end");
    }

    // Asks every triple through one batch of evaluations; returns those allowed, in order.
    private async Task<List<(string Subject, string Action, string Doc)>> AllowedAsync(IEnumerable<(string Subject, string Action, string Doc)> triples)
    {
        var list = triples.ToList();
        var body = new StringBuilder("""{"evaluations":[""");
        body.AppendJoin(',', list.Select(t => $$$"""{"subject":{"type":"user","id":"{{{t.Subject}}}"},"action":{"name":"{{{t.Action}}}"},"resource":{"type":"doc","id":"{{{t.Doc}}}"}}"""));
        body.Append("]}");
        using var response = await _g.PostAsync("/access/v1/evaluations", body.ToString());
        var decisions = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("evaluations").EnumerateArray().Select(e => e.GetProperty("decision").GetBoolean()).ToArray();
        Assert.Equal(list.Count, decisions.Length);
        return list.Where((_, i) => decisions[i]).ToList();
    }
}
