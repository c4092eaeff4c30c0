using Mandate.Core.Tokens;
using Microsoft.Extensions.Time.Testing;

namespace Mandate.Core.Tests.Tokens;

/// <summary>A task token service over an in-memory store and a fake clock, with helpers to issue chains.</summary>
internal sealed class TaskTokenFixture : IAsyncDisposable
{
    public const string Issuer = "https://mandate.test";

    private TaskTokenFixture(TaskTokenService service, FakeTimeProvider time, InMemoryTaskTokenStore store)
    {
        Service = service;
        Time = time;
        Store = store;
    }

    public TaskTokenService Service { get; }

    public FakeTimeProvider Time { get; }

    public InMemoryTaskTokenStore Store { get; }

    public DateTimeOffset Now => Time.GetUtcNow();

    public static async Task<TaskTokenFixture> CreateAsync(TaskTokenOptions? options = null)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 29, 3, 0, 0, TimeSpan.Zero));
        var store = new InMemoryTaskTokenStore();
        var service = await TaskTokenService.OpenAsync(store, options ?? new TaskTokenOptions { Issuer = Issuer }, time);
        return new TaskTokenFixture(service, time, store);
    }

    public static TaskGrant Grant(string[]? scopes = null, string[]? tools = null, string[]? resources = null, string intent = "", string[]? audiences = null) =>
        new(scopes ?? [], audiences ?? [], intent, tools ?? [], resources ?? []);

    /// <summary>Plans and issues a root token for <paramref name="agent"/>, failing the test if planning fails.</summary>
    public async Task<IssuedTaskToken> RootAsync(string agent, TaskGrant requested, string? user = null, TimeSpan? lifetime = null, string? jkt = null)
    {
        var plan = Service.Plan(new ExchangeInput
        {
            Actor = new ExchangeActor(agent, "oidc", "https://idp.test"),
            ClientId = agent,
            SubjectKind = user is null ? ExchangeSubjectKind.None : ExchangeSubjectKind.User,
            UserId = user,
            Requested = requested,
            RequestedLifetime = lifetime,
            DpopJkt = jkt,
        }, Now);
        Assert.True(plan.Ok, plan.Error?.ToString());
        return await Service.IssueAsync(plan.Plan!);
    }

    /// <summary>Plans a delegation from <paramref name="parent"/> (verified now) to <paramref name="agent"/>.</summary>
    public ExchangePlanResult PlanChild(IssuedTaskToken parent, string agent, TaskGrant requested, TimeSpan? lifetime = null)
    {
        var check = Service.Verify(parent.AccessToken, Now);
        Assert.True(check.Ok, check.Error?.ToString());
        return Service.Plan(new ExchangeInput
        {
            Actor = new ExchangeActor(agent, "oidc", "https://idp.test"),
            ClientId = agent,
            SubjectKind = ExchangeSubjectKind.ParentTaskToken,
            Parent = check.Principal,
            Requested = requested,
            RequestedLifetime = lifetime,
        }, Now);
    }

    /// <summary>Plans and issues a delegation, failing the test if planning fails.</summary>
    public async Task<IssuedTaskToken> ChildAsync(IssuedTaskToken parent, string agent, TaskGrant requested, TimeSpan? lifetime = null)
    {
        var plan = PlanChild(parent, agent, requested, lifetime);
        Assert.True(plan.Ok, plan.Error?.ToString());
        return await Service.IssueAsync(plan.Plan!);
    }

    public ValueTask DisposeAsync() => Service.DisposeAsync();
}
