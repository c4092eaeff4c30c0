using Mandate.Core.Errors;
using System.Text;

namespace Mandate.Demo;

/// <summary>
/// The calls <c>mandate demo</c> prints, and their rendering as shell lines: one <c>export</c> per
/// agent token, then one <c>curl</c> per call preceded by a comment stating the expected status; before the
/// first call with a task token, the token exchange that stores it in <see cref="TaskVariable"/>.
/// The demo test parses exactly this text and replays it, so what is printed is what is tested.
/// </summary>
public static class DemoScript
{
    /// <summary>Prefix of the comment line before each curl command: <c># expect 403 · title</c>.</summary>
    public const string ExpectPrefix = "# expect ";

    /// <summary>Prefix of the comment line before the token exchange: <c># task token · title</c>.</summary>
    public const string ExchangePrefix = "# task token · ";

    /// <summary>The shell variable the printed token exchange stores the task token in.</summary>
    public const string TaskVariable = "TASK";

    /// <summary>MCP's Streamable HTTP transport: a POST accepts a JSON answer or an SSE stream.</summary>
    public const string McpAccept = "application/json, text/event-stream";

    /// <summary>The MCP endpoint of the helpdesk server on the gateway (<c>mcp.servers.helpdesk</c>).</summary>
    public const string HelpdeskPath = "/mcp/" + HelpdeskMcpServer.Name;

    /// <summary>The task the demo opens: support-bot's, holding only the helpdesk's read tool.</summary>
    public static DemoTaskExchange TaskExchange { get; } = new(
        "support-bot exchanges its own token (RFC 8693, POST /oauth2/token) for a task token whose task declares one tool, helpdesk/search_tickets (policy agents-may-open-own-tasks)",
        DemoAgents.SupportBot,
        ["tickets:read", "tickets:write"],
        "find the printer ticket",
        ["mcp.tools.call:" + HelpdeskMcpServer.Name + "/" + HelpdeskTools.Search]);

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
        ToolCall("MCP, allowed: support-bot calls helpdesk/search_tickets with its own token; the answer carries the tool's result",
            null, HelpdeskTools.Search, """{"query":"printer"}""", "support-searches-tickets") with { ExpectedText = "Printer on floor 3 jams" },
        ToolCall("MCP, in task: the task token calls helpdesk/search_tickets, the one tool its task declares; the answer carries the tool's result",
            TaskVariable, HelpdeskTools.Search, """{"query":"printer"}""", "support-searches-tickets") with { ExpectedText = "Printer on floor 3 jams" },
        ToolCall("MCP, out of task: the same token calls helpdesk/delete_ticket, which its scopes and the policies would allow but its task does not declare: a JSON-RPC error with \"rule\":\"session.out_of_task\", and nothing reaches the server",
            TaskVariable, HelpdeskTools.Delete, """{"id":"1003"}""", null) with { ExpectedRule = ErrorCatalogue.SessionOutOfTask.Code },
    ];

    // A JSON-RPC tools/call to the helpdesk as support-bot, with its workload token or (tokenVariable) its task token.
    private static DemoCall ToolCall(string title, string? tokenVariable, string tool, string arguments, string? policy) =>
        new(title, DemoAgents.SupportBot, "POST", HelpdeskPath,
            $$$"""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"{{{tool}}}","arguments":{{{arguments}}}}}""", 200, policy)
        {
            TokenVariable = tokenVariable,
            Accept = McpAccept,
        };

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

        var mcpShown = false;
        var taskShown = false;
        foreach (var call in Calls)
        {
            if (!mcpShown && call.Target.StartsWith(HelpdeskPath, StringComparison.Ordinal))
            {
                mcpShown = true;
                text.Append("\n# MCP: the helpdesk server (tools search_tickets and delete_ticket) behind the gateway at ")
                    .Append(baseUrl).Append(HelpdeskPath).Append("; every tools/call is decided on Mandate::Tool::\"")
                    .Append(HelpdeskMcpServer.Name).Append("/<tool>\" and its arguments\n");
            }

            if (!taskShown && call.TokenVariable == TaskVariable)
            {
                taskShown = true;
                RenderExchange(text, baseUrl);
            }

            text.Append('\n').Append(ExpectPrefix).Append(call.ExpectedStatus).Append(" · ").Append(call.Title).Append('\n');
            text.Append("curl -sS -i --path-as-is");
            if (call.Method != "GET")
            {
                text.Append(" -X ").Append(call.Method);
            }

            if (call.Agent is not null)
            {
                text.Append(" -H \"Authorization: Bearer $").Append(call.TokenVariable ?? VariableOf(call.Agent)).Append('"');
            }

            if (call.Accept is not null)
            {
                text.Append(" -H 'Accept: ").Append(call.Accept).Append('\'');
            }

            if (call.Body is not null)
            {
                text.Append(" -H 'Content-Type: application/json' -d '").Append(call.Body).Append('\'');
            }

            text.Append(" '").Append(baseUrl).Append(call.Target).Append("'\n");
        }

        return text.ToString();
    }

    // The exchange prints the token endpoint's JSON through sed into the variable: sed -E is on every system that has
    // curl (jq often is not), and the answer is compact JSON whose access_token is a JWT, so the pattern is exact.
    private static void RenderExchange(StringBuilder text, string baseUrl)
    {
        var exchange = TaskExchange;
        text.Append('\n').Append(ExchangePrefix).Append(exchange.Title).Append('\n');
        text.Append(TaskVariable).Append("=$(curl -sS")
            .Append(" -d grant_type=urn:ietf:params:oauth:grant-type:token-exchange")
            .Append(" -d \"actor_token=$").Append(VariableOf(exchange.Actor)).Append('"')
            .Append(" -d actor_token_type=urn:ietf:params:oauth:token-type:jwt")
            .Append(" --data-urlencode 'scope=").Append(string.Join(' ', exchange.Scopes)).Append('\'')
            .Append(" --data-urlencode 'authorization_details=").Append(exchange.AuthorizationDetails).Append('\'')
            .Append(" '").Append(baseUrl).Append("/oauth2/token'")
            .Append(" | sed -E 's/.*\"access_token\":\"([^\"]+)\".*/\\1/')\n");
    }
}
