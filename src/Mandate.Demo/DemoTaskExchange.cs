using System.Text.Json;

namespace Mandate.Demo;

/// <summary>
/// The token exchange the demo prints (RFC 8693 at <c>POST /oauth2/token</c>): <paramref name="Actor"/>'s workload
/// token as <c>actor_token</c>, no subject (the agent opens a task for itself), and the task as RFC 9396
/// <c>authorization_details</c>. The printed line stores the issued task token in <see cref="DemoScript.TaskVariable"/>.
/// </summary>
/// <param name="Title">What the exchange shows, one line.</param>
/// <param name="Actor">The agent that opens the task.</param>
/// <param name="Scopes">The scopes asked for.</param>
/// <param name="Intent">The task's <c>intent</c>.</param>
/// <param name="Tools">The task's <c>tools</c>: the only tools its token reaches.</param>
public sealed record DemoTaskExchange(string Title, DemoAgent Actor, IReadOnlyList<string> Scopes, string Intent, IReadOnlyList<string> Tools)
{
    /// <summary>The <c>authorization_details</c> value: one <c>agent_task</c> entry.</summary>
    public string AuthorizationDetails => JsonSerializer.Serialize(new[] { new { type = "agent_task", intent = Intent, tools = Tools } });
}
