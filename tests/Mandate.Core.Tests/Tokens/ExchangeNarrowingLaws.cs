using Mandate.Core.Errors;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Mandate.Core.Tokens;

namespace Mandate.Core.Tests.Tokens;

/// <summary>Delegation only narrows: for any parent grant, any request and any lifetime, a planned child is within its
/// parent and never outlives it; otherwise the plan is refused as an escalation.</summary>
public class ExchangeNarrowingLaws
{
    private static readonly Lazy<TaskTokenFixture> Shared = new(() => TaskTokenFixture.CreateAsync().GetAwaiter().GetResult());

    [Property(MaxTest = 200)]
    public Property Plan_Child_IsWithinParentAndNeverOutlivesIt() =>
        Prop.ForAll(Arb.From(TaskGrantLaws.Grants()), Arb.From(TaskGrantLaws.Grants()), Arb.From(Gen.Choose(1, 7200)), (parentGrant, requested, seconds) =>
        {
            var f = Shared.Value;
            var parent = f.RootAsync("agent-a", parentGrant, user: "alice", lifetime: TimeSpan.FromMinutes(10)).GetAwaiter().GetResult();
            var result = f.PlanChild(parent, "agent-b", requested, TimeSpan.FromSeconds(seconds));
            if (!result.Ok)
            {
                return result.Error!.Code is { Code: "exchange.scope_escalation" or "exchange.target_escalation" } && parent.Grant.Excess(requested).Count > 0;
            }
            var plan = result.Plan!;
            return plan.Grant.IsWithin(parent.Grant)
                   && plan.ExpiresAt <= parent.ExpiresAt
                   && plan.Depth == 1
                   && plan.UserId == "alice"
                   && plan.Chain.SequenceEqual(["agent-a", "agent-b"]);
        });

    [Property(MaxTest = 100)]
    public Property Plan_GrandChild_StaysWithinEveryAncestor() =>
        Prop.ForAll(Arb.From(TaskGrantLaws.Grants()), Arb.From(TaskGrantLaws.Grants()), Arb.From(TaskGrantLaws.Grants()), (g0, g1, g2) =>
        {
            var f = Shared.Value;
            var root = f.RootAsync("agent-a", g0).GetAwaiter().GetResult();
            var p1 = f.PlanChild(root, "agent-b", g1);
            if (!p1.Ok)
            {
                return p1.Error!.Code is { Code: "exchange.scope_escalation" or "exchange.target_escalation" };
            }
            var child = f.Service.IssueAsync(p1.Plan!).GetAwaiter().GetResult();
            var p2 = f.PlanChild(child, "agent-c", g2);
            if (!p2.Ok)
            {
                return p2.Error!.Code is { Code: "exchange.scope_escalation" or "exchange.target_escalation" };
            }
            var grandChild = f.Service.IssueAsync(p2.Plan!).GetAwaiter().GetResult();
            var check = f.Service.Verify(grandChild.AccessToken, f.Now);
            return check.Ok && grandChild.Grant.IsWithin(child.Grant) && grandChild.Grant.IsWithin(root.Grant)
                   && check.Principal!.Depth == 2 && grandChild.ExpiresAt <= child.ExpiresAt;
        });
}
