namespace Mandate.Server.Tests.DecisionApis;

/// <summary>
/// A small API behind a proxy that asks Mandate (Envoy ext_authz, nginx auth_request): tickets may be read by the
/// agent <c>reader</c>; deleting is forbidden with a reason.
/// </summary>
public static class CheckScenario
{
    /// <summary>The policies.</summary>
    public const string Policies = """
        @id("reader-reads")
        permit (principal == Mandate::Agent::"reader", action == Mandate::Action::"read", resource in Mandate::Api::"tickets");

        @id("nobody-deletes")
        @reason("tickets are never deleted by agents")
        forbid (principal, action == Mandate::Action::"delete", resource in Mandate::Api::"tickets");

        @id("reader-may-try-deleting")
        permit (principal == Mandate::Agent::"reader", action == Mandate::Action::"delete", resource in Mandate::Api::"tickets");
        """;

    /// <summary>The <c>decisionApis</c> section with both check fronts trusting <paramref name="peer"/>.</summary>
    public static string DecisionApis(string peer = "127.0.0.1") => $$"""
          envoy: { path: /envoy/check, peers: [ {{peer}} ] }
          nginx: { path: /nginx/check, peers: [ {{peer}} ] }
        """;

    /// <summary>Routes and the upstream they name (the proxy forwards itself; Mandate only decides).</summary>
    public static string Routes(Uri upstream) => $$"""
        agents:
          reader: {}
        upstreams:
          tickets: { url: "{{upstream}}" }
        routes:
          - method: GET
            path: /tickets/{id}
            action: read
            resource: { type: Ticket, id: "{id}", parents: [ { type: Api, id: tickets } ] }
            upstream: tickets
          - method: DELETE
            path: /tickets/{id}
            action: delete
            resource: { type: Ticket, id: "{id}", parents: [ { type: Api, id: tickets } ] }
            upstream: tickets
        """;
}
