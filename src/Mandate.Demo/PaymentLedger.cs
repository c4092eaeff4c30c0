using System.Collections.Concurrent;
using System.Globalization;

namespace Mandate.Demo;

/// <summary>The sample API's payments, in memory. Thread-safe; starts with one payment.</summary>
public sealed class PaymentLedger
{
    private readonly ConcurrentDictionary<string, Payment> _payments = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private int _next = 1;

    /// <summary>A ledger holding payment <c>p-1</c>.</summary>
    public PaymentLedger(TimeProvider time)
    {
        _time = time;
        _payments["p-1"] = new Payment("p-1", 4_200, "EUR", "ACME Office Supplies", time.GetUtcNow());
    }

    /// <summary>One payment, or null.</summary>
    public Payment? Find(string id) => _payments.GetValueOrDefault(id);

    /// <summary>Records a payment with the next id.</summary>
    public Payment Create(long amount, string currency, string payee)
    {
        var id = "p-" + Interlocked.Increment(ref _next).ToString(CultureInfo.InvariantCulture);
        var payment = new Payment(id, amount, currency, payee, _time.GetUtcNow());
        _payments[id] = payment;
        return payment;
    }
}
