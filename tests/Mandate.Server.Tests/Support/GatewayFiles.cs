namespace Mandate.Server.Tests.Support;

/// <summary>The sample deployment the end-to-end tests run: configuration, schema, policies, entities.</summary>
public static class GatewayFiles
{
    /// <summary>The admin token written into the configuration.</summary>
    public const string AdminToken = "test-admin-token-0123456789";

    /// <summary>The vaulted key the legacy upstream receives.</summary>
    public const string LegacyKey = "legacy-secret-key-value";

    /// <summary>The configuration, with the issuer and upstream URLs filled in.</summary>
    public static string Config(string issuer, Uri upstream) => $$"""
        dataPlane:
          listen: 127.0.0.1:0
        controlPlane:
          listen: 127.0.0.1:0
          adminToken: {{AdminToken}}
        dataDir: data
        identity:
          oidc:
            - issuer: {{issuer}}
              audiences: [mandate]
        policies:
          directory: policies
          schema: schema.cedarschema
        entities:
          file: entities.json
        agents:
          trusted-bot:
            attributes:
              trust: 9
          reader-bot:
            attributes:
              trust: 1
        vault:
          keyFile: vault.key
        upstreams:
          tickets:
            url: {{upstream}}
          legacy:
            url: {{upstream}}
            credential:
              vault: legacy-key
              header: X-Api-Key
              format: "{secret}"
        routes:
          - method: GET
            path: /tickets/{id}
            action: read
            resource: { type: Ticket, id: "{id}", parents: [ { type: Api, id: tickets } ] }
            upstream: tickets
            requestHeaders: [X-Request-Note]
          - method: GET
            path: /tickets/export
            action: export
            resource: { type: Api, id: tickets }
            upstream: tickets
          - method: DELETE
            path: /tickets/{id}
            action: write
            resource: { type: Ticket, id: "{id}", parents: [ { type: Api, id: tickets } ] }
            upstream: tickets
          - method: GET
            path: /legacy/{id}
            action: read
            resource: { type: Ticket, id: "legacy-{id}", parents: [ { type: Api, id: tickets } ] }
            upstream: legacy
          - method: GET
            path: /names/{name}
            action: read
            resource: { type: Ticket, id: "name:{name}", parents: [ { type: Api, id: tickets } ] }
            upstream: tickets
            nonAscii: allow
          - method: GET
            path: /files/{*rest}
            action: read
            resource: { type: Ticket, id: "file:{rest}", parents: [ { type: Api, id: tickets } ] }
            upstream: tickets
        """;

    /// <summary>The Cedar schema.</summary>
    public const string Schema = """
        namespace Mandate {
          type RequestFacts = { method: String, path: String, ip: ipaddr, host: String };
          type TokenFacts = { scopes: Set<String>, method: String, seconds_left: Long };
          type DelegationFacts = { user: String, chain: Set<String>, depth: Long };
          type GatewayContext = { request: RequestFacts, token: TokenFacts, delegation: DelegationFacts, now: datetime };
          entity Api;
          entity Ticket in [Api];
          entity Agent = { trust: Long };
          action read, write, export appliesTo { principal: [Agent], resource: [Ticket, Api], context: GatewayContext };
        }
        """;

    /// <summary>The policies.</summary>
    public const string Policies = """
        @id("read-tickets")
        permit (principal, action == Mandate::Action::"read", resource in Mandate::Api::"tickets")
        when { context.token.scopes.contains("tickets:read") };

        @id("write-needs-trust")
        permit (principal, action == Mandate::Action::"write", resource in Mandate::Api::"tickets")
        when { principal.trust >= 5 };

        @id("legal-hold")
        @reason("ticket 13 is under legal hold")
        forbid (principal, action, resource == Mandate::Ticket::"13");

        @id("blocked-network")
        @reason("requests from 10.0.0.0/8 are blocked")
        forbid (principal, action, resource)
        when { context.request.ip.isInRange(ip("10.0.0.0/8")) };
        """;

    /// <summary>The entities file.</summary>
    public const string Entities = """
        [
          { "uid": { "type": "Mandate::Api", "id": "tickets" }, "attrs": {}, "parents": [] }
        ]
        """;
}
