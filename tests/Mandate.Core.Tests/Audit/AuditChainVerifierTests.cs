using System.Security.Cryptography;
using Mandate.Core.Audit;

namespace Mandate.Core.Tests.Audit;

public sealed class AuditChainVerifierTests
{
    private static List<StoredAuditRecord> Chain(int n)
    {
        var list = new List<StoredAuditRecord>();
        var prev = AuditChainHash.Genesis;
        for (var seq = 1; seq <= n; seq++)
        {
            var body = AuditRecordFormat.Serialize(new AuditEvent { Kind = "decision", Decision = "allow" }, seq);
            var hash = AuditChainHash.Compute(prev, body)!;
            list.Add(new StoredAuditRecord(seq, prev, hash, body));
            prev = hash;
        }
        return list;
    }

    private static Task<AuditVerification> Verify(IEnumerable<StoredAuditRecord> records, IReadOnlyList<AuditCheckpoint>? checkpoints = null, ECDsa? key = null) =>
        AuditChainVerifier.VerifyAsync(records.ToAsyncEnumerable(), checkpoints ?? [], key).AsTask();

    [Fact]
    public async Task VerifyAsync_EmptyChain_IsOk()
    {
        var result = await Verify([]);

        Assert.True(result.Ok);
        Assert.Equal(0, result.Records);
    }

    [Fact]
    public async Task VerifyAsync_SignedChain_IsOk()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var chain = Chain(5);
        var cp = AuditCheckpointSigner.Sign(key, 5, chain[4].Hash, DateTimeOffset.UtcNow);

        var result = await Verify(chain, [cp], key);

        Assert.True(result.Ok, result.Problem?.Message);
        Assert.Equal(1, result.Checkpoints);
    }

    [Fact]
    public async Task VerifyAsync_CheckpointWithoutKey_ReportsBadSignature()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var chain = Chain(3);

        var result = await Verify(chain, [AuditCheckpointSigner.Sign(key, 3, chain[2].Hash, DateTimeOffset.UtcNow)]);

        Assert.Equal(AuditProblemKind.BadCheckpointSignature, result.Problem?.Kind);
    }

    [Fact]
    public async Task VerifyAsync_FirstRecordWithWrongGenesis_ReportsInserted()
    {
        var body = AuditRecordFormat.Serialize(new AuditEvent { Kind = "decision" }, 1);
        var prev = new string('1', 64);

        var result = await Verify([new StoredAuditRecord(1, prev, AuditChainHash.Compute(prev, body)!, body)]);

        Assert.Equal(AuditProblemKind.Inserted, result.Problem?.Kind);
        Assert.Equal(1, result.Problem!.Seq);
    }

    [Fact]
    public async Task VerifyAsync_ChainMissingItsFirstRecord_ReportsDeletedAtOne()
    {
        var result = await Verify(Chain(4).Skip(1));

        Assert.Equal(AuditProblemKind.Deleted, result.Problem?.Kind);
        Assert.Equal(1, result.Problem!.Seq);
    }

    [Fact]
    public async Task Verify_CheckpointSignedByOtherKey_IsFalse()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var cp = AuditCheckpointSigner.Sign(key, 1, AuditChainHash.Genesis, DateTimeOffset.UtcNow);

        Assert.True(AuditCheckpointSigner.Verify(key, cp));
        Assert.False(AuditCheckpointSigner.Verify(other, cp));
        Assert.False(AuditCheckpointSigner.Verify(key, cp with { Seq = 2 }));
        Assert.False(AuditCheckpointSigner.Verify(key, cp with { Signature = "!!" }));
    }
}
