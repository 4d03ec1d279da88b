namespace Gateway.Operator.GatewayApi;

/// <summary>
/// The Gateway API the operator reads: the kinds of the upstream standard channel, which users install themselves
/// (<c>standard-install.yaml</c> of the release below); the operator ships no CRD for them. The models in this
/// folder follow that release's <c>apis/v1</c> types, keeping the fields the operator reads or writes; fields they
/// leave out are kept by the API server and ignored here.
/// </summary>
public static class GatewayApiBundle
{
    public const string Group = "gateway.networking.k8s.io";

    /// <summary>The release the models follow. Older v1 releases (v1.0 and later) serve the same kinds and fields.</summary>
    public const string Version = "v1.6.1";

    public const string Channel = "standard";

    /// <summary>The annotation the bundle's CRDs carry with the release they come from.</summary>
    public const string BundleVersionAnnotation = Group + "/bundle-version";
}
