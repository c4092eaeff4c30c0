using System.Text;

namespace Mandate.Demo;

/// <summary>
/// The calls <c>mandate demo</c> prints, and their rendering as shell lines: one <c>export</c> per
/// agent token, then one <c>curl</c> per call preceded by a comment stating the expected status.
/// The demo test parses exactly this text and replays it, so what is printed is what is tested.
/// </summary>
public static class DemoScript
{
    /// <summary>Prefix of the comment line before each curl command: <c># expect 403 · title</c>.</summary>
    public const string ExpectPrefix = "# expect ";

    /// <summary>The demo's calls against the sample policies.</summary>
    public static IReadOnlyList<DemoCall> Calls { get; } =
    [
        new("allowed: support-bot (acting for alice) lists tickets",
            DemoAgents.SupportBot, "GET", "/tickets", null, 200, "support-reads-tickets"),
        new("allowed: support-bot closes ticket 1002",
            DemoAgents.SupportBot, "PATCH", "/tickets/1002", """{"status":"closed"}""", 200, "support-writes-tickets"),
        new("denied with a reason: secret documents are never shown to agents",
            DemoAgents.SupportBot, "GET", "/documents/merger-plan", null, 403, "no-secret-documents"),
        new("denied: finance-agent acts for nobody, so it may not read internal documents",
            DemoAgents.FinanceAgent, "GET", "/documents/roadmap-2027", null, 403, "internal-documents-need-a-user"),
        new("denied: intern-bot is read-only",
            DemoAgents.InternBot, "POST", "/tickets", """{"title":"Coffee machine is empty"}""", 403, "intern-bot-is-read-only"),
        new("allowed: finance-agent pays 12.50 EUR",
            DemoAgents.FinanceAgent, "POST", "/payments", """{"amount":1250,"currency":"EUR","payee":"ACME Office Supplies"}""", 201, "finance-creates-payments"),
        new("denied with a reason: the JSON body is part of the decision (context.args.amount, in cents, above 1,000.00)",
            DemoAgents.FinanceAgent, "POST", "/payments", """{"amount":250000,"currency":"EUR","payee":"Unknown Holdings Ltd"}""", 403, "payment-limit"),
        new("allowed: legacy API behind a static key the agent never sees (attached from the vault)",
            DemoAgents.FinanceAgent, "GET", "/legacy/reports", null, 200, "finance-reads-legacy-reports"),
        new("no token: 401 with WWW-Authenticate",
            null, "GET", "/tickets", null, 401, null),
        new("path trick (encoded slashes and dot segments): refused with 400 before any policy runs",
            DemoAgents.SupportBot, "GET", "/tickets/1001%2F..%2F..%2Fdocuments%2Fmerger-plan", null, 400, null),
    ];

    /// <summary>The shell variable holding an agent's token, e.g. <c>SUPPORT_BOT</c>.</summary>
    public static string VariableOf(DemoAgent agent) => agent.Id.ToUpperInvariant().Replace('-', '_');

    /// <summary>
    /// Renders the export lines and curl commands. <paramref name="gateway"/> is the data plane's
    /// base address; <paramref name="tokens"/> maps agent ids to tokens.
    /// </summary>
    public static string Render(Uri gateway, IReadOnlyDictionary<string, string> tokens)
    {
        var baseUrl = gateway.ToString().TrimEnd('/');
        var text = new StringBuilder();
        foreach (var agent in DemoAgents.All)
        {
            text.Append("# ").Append(agent.Id).Append(": ").Append(agent.Description)
                .Append(" (scopes: ").Append(string.Join(' ', agent.Scopes)).Append(")\n");
            text.Append("export ").Append(VariableOf(agent)).Append("='").Append(tokens[agent.Id]).Append("'\n");
        }

        foreach (var call in Calls)
        {
            text.Append('\n').Append(ExpectPrefix).Append(call.ExpectedStatus).Append(" · ").Append(call.Title).Append('\n');
            text.Append("curl -sS -i --path-as-is");
            if (call.Method != "GET")
            {
                text.Append(" -X ").Append(call.Method);
            }

            if (call.Agent is not null)
            {
                text.Append(" -H \"Authorization: Bearer $").Append(VariableOf(call.Agent)).Append('"');
            }

            if (call.Body is not null)
            {
                text.Append(" -H 'Content-Type: application/json' -d '").Append(call.Body).Append('\'');
            }

            text.Append(" '").Append(baseUrl).Append(call.Target).Append("'\n");
        }

        return text.ToString();
    }
}
