namespace Mandate.Server.Tests.DecisionApis;

/// <summary>
/// The AuthZEN interop scenarios' facts written as Mandate deployment files: the Todo scenario's five users (their
/// PIDs, emails and roles, as the AuthZEN group publishes them) and its rules, and the API-gateway scenario's rules
/// (the HTTP method is the action, the route template the resource, viewers may not write), in Cedar.
/// </summary>
public static class InteropScenario
{
    /// <summary>The users, keyed by PID (the scenario's subject id), with email and roles.</summary>
    public const string Entities = """
        [
          { "uid": { "type": "Mandate::User", "id": "CiRmZDA2MTRkMy1jMzlhLTQ3ODEtYjdiZC04Yjk2ZjVhNTEwMGQSBWxvY2Fs" },
            "attrs": { "email": "rick@the-citadel.com", "roles": ["admin", "evil_genius"] }, "parents": [] },
          { "uid": { "type": "Mandate::User", "id": "CiRmZDE2MTRkMy1jMzlhLTQ3ODEtYjdiZC04Yjk2ZjVhNTEwMGQSBWxvY2Fs" },
            "attrs": { "email": "morty@the-citadel.com", "roles": ["editor"] }, "parents": [] },
          { "uid": { "type": "Mandate::User", "id": "CiRmZDI2MTRkMy1jMzlhLTQ3ODEtYjdiZC04Yjk2ZjVhNTEwMGQSBWxvY2Fs" },
            "attrs": { "email": "summer@the-smiths.com", "roles": ["editor"] }, "parents": [] },
          { "uid": { "type": "Mandate::User", "id": "CiRmZDM2MTRkMy1jMzlhLTQ3ODEtYjdiZC04Yjk2ZjVhNTEwMGQSBWxvY2Fs" },
            "attrs": { "email": "beth@the-smiths.com", "roles": ["viewer"] }, "parents": [] },
          { "uid": { "type": "Mandate::User", "id": "CiRmZDQ2MTRkMy1jMzlhLTQ3ODEtYjdiZC04Yjk2ZjVhNTEwMGQSBWxvY2Fs" },
            "attrs": { "email": "jerry@the-smiths.com", "roles": ["viewer"] }, "parents": [] }
        ]
        """;

    /// <summary>Both scenarios' rules.</summary>
    public const string Policies = """
        @id("everyone-reads")
        permit (principal is Mandate::User, action in [Mandate::Action::"can_read_user", Mandate::Action::"can_read_todos"], resource);

        @id("editors-create")
        permit (principal is Mandate::User, action == Mandate::Action::"can_create_todo", resource)
        when { principal.roles.contains("editor") || principal.roles.contains("admin") };

        @id("owners-change-their-todos")
        permit (principal is Mandate::User, action in [Mandate::Action::"can_update_todo", Mandate::Action::"can_delete_todo"], resource is Mandate::Todo)
        when { (principal.roles.contains("editor") || principal.roles.contains("admin")) && resource has ownerID && resource.ownerID == principal.email };

        @id("evil-geniuses-update-any")
        permit (principal is Mandate::User, action == Mandate::Action::"can_update_todo", resource is Mandate::Todo)
        when { principal.roles.contains("evil_genius") };

        @id("admins-delete-any")
        permit (principal is Mandate::User, action == Mandate::Action::"can_delete_todo", resource is Mandate::Todo)
        when { principal.roles.contains("admin") };

        @id("gateway-users")
        permit (principal is Mandate::User, action in [Mandate::Action::"GET", Mandate::Action::"POST", Mandate::Action::"PUT", Mandate::Action::"DELETE"], resource is Mandate::Route);

        @id("gateway-viewers-read-only")
        @reason("viewers may only read")
        forbid (principal is Mandate::User, action in [Mandate::Action::"POST", Mandate::Action::"PUT", Mandate::Action::"DELETE"], resource is Mandate::Route)
        when { principal.roles.contains("viewer") };
        """;

    /// <summary>The <c>decisionApis</c> section: both scenarios' types, an API-key client and a JWT client for users only.</summary>
    public const string DecisionApis = """
          authzen:
            types: { user: User, identity: User, todo: Todo, route: Route }
            pageSize: 3
            clients:
              - { name: todo-app, apiKeySha256: "{{apiKeySha256}}", subjects: [ "user:*", "identity:*" ] }
              - { name: pep-jwt, agent: pep-jwt, subjects: [ "user:CiRmZDM2*" ] }
        """;
}
