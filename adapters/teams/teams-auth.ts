import { type Activity, CallerIdConstants, ConfigurationBotFrameworkAuthentication, type ConfigurationBotFrameworkAuthenticationOptions, ConfigurationServiceClientCredentialFactory } from 'botbuilder';
import {
  type AppCredentials,
  type AuthenticateRequestResult,
  AuthenticationConstants,
  AuthenticationError,
  BotFrameworkAuthentication,
  type BotFrameworkClient,
  type ClaimsIdentity,
  type ConnectorClient,
  ConnectorFactory,
  type ServiceClientCredentialsFactory,
  type UserTokenClient,
} from 'botframework-connector';
import { InputError } from '../../src/errors.js';
import type { TeamsSettings } from '../config/environment.js';

/**
 * botbuilder's configuration keys for where the Bot Framework is. Setting any one makes botbuilder take all of
 * them from the configuration (an unset one is then undefined, not the public cloud's), so they are filled in here.
 */
export type BotFrameworkEndpointKey =
  | 'ToBotFromChannelOpenIdMetadataUrl'
  | 'ToBotFromChannelTokenIssuer'
  | 'ToBotFromEmulatorOpenIdMetadataUrl'
  | 'ToChannelFromBotLoginUrl'
  | 'ToChannelFromBotOAuthScope'
  | 'OAuthUrl'
  | 'CallerId';

/** What tests change: the endpoints (the fake Bot Connector's) and how the bot gets its own token. */
export interface TeamsAuthOverrides {
  readonly configuration?: Readonly<Partial<Record<BotFrameworkEndpointKey, string>>>;
  /** Replaces botbuilder's credentials from MICROSOFT_APP_TYPE (tests: MSAL pointed at the fake's token endpoint). */
  readonly credentialsFactory?: ServiceClientCredentialsFactory;
}

const publicCloud: Record<BotFrameworkEndpointKey, string> = {
  ToBotFromChannelOpenIdMetadataUrl: AuthenticationConstants.ToBotFromChannelOpenIdMetadataUrl,
  ToBotFromChannelTokenIssuer: AuthenticationConstants.ToBotFromChannelTokenIssuer,
  ToBotFromEmulatorOpenIdMetadataUrl: AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl,
  ToChannelFromBotLoginUrl: AuthenticationConstants.ToChannelFromBotLoginUrl,
  ToChannelFromBotOAuthScope: AuthenticationConstants.ToChannelFromBotOAuthScope,
  OAuthUrl: AuthenticationConstants.OAuthUrl,
  CallerId: CallerIdConstants.PublicAzureChannel,
};

function configurationFor(settings: TeamsSettings, overrides: TeamsAuthOverrides): ConfigurationBotFrameworkAuthenticationOptions {
  // Development mode: no app id, so botbuilder verifies no token and signs no request (claims: 'anonymous').
  const credentials: ConfigurationBotFrameworkAuthenticationOptions =
    settings.appId === null
      ? {}
      : {
          MicrosoftAppId: settings.appId,
          MicrosoftAppType: settings.appType,
          ...(settings.appPassword === null ? {} : { MicrosoftAppPassword: settings.appPassword }),
          ...(settings.tenantId === null ? {} : { MicrosoftAppTenantId: settings.tenantId }),
        };
  const chosen = {
    ...overrides.configuration,
  };
  return Object.keys(chosen).length === 0 ? credentials : { ...credentials, ...publicCloud, ...chosen };
}

/** jsonwebtoken's verification failures, which botbuilder lets through as they are (CloudAdapter answers them 500). */
const tokenErrorNames = new Set(['JsonWebTokenError', 'NotBeforeError', 'TokenExpiredError']);

/** Every failed token check a refusal (401), keeping the cause; an outage (keys unreachable) stays a 500. */
function asRefusal(error: unknown): unknown {
  if (error instanceof AuthenticationError || !(error instanceof Error) || !tokenErrorNames.has(error.name)) return error;
  const refusal = new AuthenticationError('Unauthorized. The token failed verification.', 401);
  refusal.cause = error;
  return refusal;
}

/** The part of @azure/core-client's ServiceClient a ConnectorClient keeps, privately, as `client`. */
interface WithPipeline {
  readonly client?: { readonly pipeline?: { removePolicy(policy: { name: string }): readonly unknown[] } };
}

/**
 * botbuilder builds every ConnectorClient on @azure/core-client's default pipeline, whose retry policy waits out a
 * 429's Retry-After and sends again, and backs off and resends a 408, a 5xx or a network error, up to 3 times each,
 * with no option to change it. Steward's outbox must see the 429 and its Retry-After itself: the policy is removed.
 */
function withoutSdkRetries(connector: ConnectorClient): ConnectorClient {
  const removed = (connector as unknown as WithPipeline).client?.pipeline?.removePolicy({ name: 'defaultRetryPolicy' }) ?? [];
  if (removed.length !== 1) throw new Error("botbuilder's ConnectorClient no longer has the retry policy Steward removes: check how it retries before upgrading");
  return connector;
}

class ConnectorsWithoutRetries extends ConnectorFactory {
  constructor(private readonly inner: ConnectorFactory) {
    super();
  }

  override async create(serviceUrl: string, audience?: string): Promise<ConnectorClient> {
    return withoutSdkRetries(await this.inner.create(serviceUrl, audience));
  }
}

/** botbuilder's authentication, with every failed token check a 401 and connectors that do not retry on their own. */
class SteadyAuthentication extends BotFrameworkAuthentication {
  constructor(
    private readonly inner: BotFrameworkAuthentication,
    private readonly audience: string,
  ) {
    super();
  }

  override async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    const result = await this.inner.authenticateRequest(activity, authHeader).catch((error: unknown) => Promise.reject(asRefusal(error)));
    return result.connectorFactory ? { ...result, connectorFactory: new ConnectorsWithoutRetries(result.connectorFactory) } : result;
  }

  override authenticateStreamingRequest(authHeader: string, channelIdHeader: string): Promise<AuthenticateRequestResult> {
    return this.inner.authenticateStreamingRequest(authHeader, channelIdHeader);
  }

  override authenticateChannelRequest(authHeader: string): Promise<ClaimsIdentity> {
    return this.inner.authenticateChannelRequest(authHeader).catch((error: unknown) => Promise.reject(asRefusal(error)));
  }

  override createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    return new ConnectorsWithoutRetries(this.inner.createConnectorFactory(claimsIdentity));
  }

  override createUserTokenClient(claimsIdentity: ClaimsIdentity): Promise<UserTokenClient> {
    return this.inner.createUserTokenClient(claimsIdentity);
  }

  override createBotFrameworkClient(): BotFrameworkClient {
    return this.inner.createBotFrameworkClient();
  }

  /** The audience createConversationAsync wants (ConfigurationBotFrameworkAuthentication throws NotImplemented). */
  override getOriginatingAudience(): string {
    return this.audience;
  }
}

/**
 * The Bot Framework authentication for Steward's CloudAdapter: botbuilder's ConfigurationBotFrameworkAuthentication
 * from the Teams settings (MICROSOFT_APP_* ; the public cloud unless TEAMS_OPENID_METADATA_URL or TEAMS_LOGIN_URL
 * say otherwise), every incoming token verified and each failure answered 401, and outgoing Connector calls made
 * once (a 429 reaches the caller with its Retry-After). Production passes no overrides.
 */
export function teamsAuthentication(settings: TeamsSettings, overrides: TeamsAuthOverrides = {}): BotFrameworkAuthentication {
  const configuration = configurationFor(settings, overrides);
  const audience = configuration.ToChannelFromBotOAuthScope ?? AuthenticationConstants.ToChannelFromBotOAuthScope;
  return new SteadyAuthentication(new ConfigurationBotFrameworkAuthentication(configuration, overrides.credentialsFactory), audience);
}

/** What MSAL says of a refused token request (its ServerError): the OAuth error and Entra's AADSTS number. */
interface EntraRefusal {
  readonly errorCode?: unknown;
  readonly errorNo?: unknown;
}

/** Entra's answers that name one variable: the secret (wrong or expired), the app, the tenant. */
const refusedVariable: Readonly<Record<string, string>> = {
  '7000215': 'MICROSOFT_APP_PASSWORD', // invalid client secret
  '7000222': 'MICROSOFT_APP_PASSWORD', // the client secret has expired
  '700016': 'MICROSOFT_APP_ID', // no such application in the tenant
  '90002': 'MICROSOFT_APP_TENANT_ID', // no such tenant
};

/**
 * Asks Microsoft Entra ID for the bot's own token once at start, as Slack's token is checked with auth.test: a wrong
 * or expired client secret, an app id that is not in the tenant, or an unknown tenant stops `serve` at once (exit 2),
 * naming the variable and never its value, rather than failing every delivery later. Development mode has no
 * credentials to check.
 */
export async function checkTeamsCredentials(settings: TeamsSettings, overrides: TeamsAuthOverrides = {}): Promise<void> {
  if (settings.appId === null) return;
  const configuration = configurationFor(settings, overrides);
  const factory = overrides.credentialsFactory ?? new ConfigurationServiceClientCredentialFactory(configuration);
  const login = configuration.ToChannelFromBotLoginUrl ?? AuthenticationConstants.ToChannelFromBotLoginUrl;
  const audience = configuration.ToChannelFromBotOAuthScope ?? AuthenticationConstants.ToChannelFromBotOAuthScope;
  try {
    const credentials = await factory.createCredentials(settings.appId, audience, login, true);
    await (credentials as AppCredentials).getToken(true);
  } catch (error) {
    const { errorCode, errorNo } = (typeof error === 'object' && error !== null ? error : {}) as EntraRefusal;
    const code = typeof errorCode === 'string' && errorCode !== '' ? errorCode : null;
    // MSAL declares errorNo a string and gives the number Entra sent: either is read.
    const aadsts = typeof errorNo === 'string' || typeof errorNo === 'number' ? String(errorNo) : null;
    const variable = aadsts === null ? undefined : refusedVariable[aadsts];
    const entra = `${code ?? 'refused'}${aadsts === null ? '' : `, AADSTS${aadsts}`}`;
    if (variable !== undefined) throw new InputError(`${variable} was refused by Microsoft Entra ID (${entra}): check it against the bot's app registration`, [], { cause: error });
    if (code !== null && code !== 'network_error' && code !== 'endpoints_resolution_error')
      throw new InputError(`Microsoft Entra ID refused Steward's Teams credentials (${entra}): check MICROSOFT_APP_ID, MICROSOFT_APP_PASSWORD, MICROSOFT_APP_TENANT_ID and MICROSOFT_APP_TYPE`, [], { cause: error });
    throw new InputError("Steward could not reach Microsoft Entra ID to check its Teams credentials (the network, a proxy or the login service's outage); start it again when it can", [], { cause: error });
  }
}
