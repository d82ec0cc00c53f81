import { createRequire } from 'node:module';
import type * as Msal from '@azure/msal-node' with { 'resolution-mode': 'require' };
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node' with { 'resolution-mode': 'require' };
import { MsalAppCredentials, ServiceClientCredentialsFactory, type ServiceClientCredentials } from 'botframework-connector';

// The CommonJS build botframework-connector itself loads (its types and instances differ from the ESM build's).
const { ConfidentialClientApplication } = createRequire(import.meta.url)('@azure/msal-node') as typeof Msal;
type ConfidentialClientApplication = InstanceType<typeof ConfidentialClientApplication>;

/*
 * The bot's own token (client credentials), fetched by the real MSAL from the fake Bot Connector's Entra ID.
 * botbuilder cannot be pointed there by configuration alone: for any login URL outside login.microsoftonline.com it
 * builds MSAL with only { authority, clientId, clientSecret }, and MSAL then refuses an http:// authority
 * (authority_uri_insecure) and, for an unknown host, asks login.microsoftonline.com for instance discovery
 * (untrusted_authority offline). `ValidateAuthority: false` does not help: botbuilder 4.23 never hands it to MSAL.
 * So the tests give botbuilder this credentials factory: MSAL with the fake host in knownAuthorities (no instance
 * discovery) and a network client that carries https://login.fake.test/… to the fake over plain HTTP.
 */

/** The authority host MSAL is told about; the network client below sends its requests to the fake. */
export const fakeLoginOrigin = 'https://login.fake.test';

function networkTo(origin: string): INetworkModule {
  const send = async <T>(method: 'GET' | 'POST', url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> => {
    const target = url.startsWith(fakeLoginOrigin) ? origin + url.slice(fakeLoginOrigin.length) : url;
    if (!target.startsWith(origin)) throw new Error(`MSAL tried to reach ${url}: the tests stay offline`);
    const response = await fetch(target, { method, headers: options?.headers ?? {}, ...(method === 'POST' ? { body: options?.body ?? '' } : {}) });
    return { status: response.status, headers: Object.fromEntries(response.headers), body: (await response.json()) as T };
  };
  return {
    sendGetRequestAsync: (url, options) => send('GET', url, options),
    sendPostRequestAsync: (url, options) => send('POST', url, options),
  };
}

class MsalToFake extends ServiceClientCredentialsFactory {
  private readonly applications = new Map<string, ConfidentialClientApplication>();

  constructor(
    private readonly appId: string,
    private readonly appPassword: string,
    private readonly network: INetworkModule,
  ) {
    super();
  }

  override async isValidAppId(appId: string): Promise<boolean> {
    return appId === this.appId;
  }

  override async isAuthenticationDisabled(): Promise<boolean> {
    return false;
  }

  /** As botbuilder's password factory does, but with the MSAL application built here; loginEndpoint is the authority. */
  override async createCredentials(appId: string, audience: string | undefined, loginEndpoint: string): Promise<ServiceClientCredentials> {
    if (appId !== this.appId) throw new Error('Invalid appId.');
    let application = this.applications.get(loginEndpoint);
    if (!application) {
      application = new ConfidentialClientApplication({
        auth: { clientId: this.appId, clientSecret: this.appPassword, authority: loginEndpoint, knownAuthorities: [new URL(fakeLoginOrigin).host] },
        system: { networkClient: this.network },
      });
      this.applications.set(loginEndpoint, application);
    }
    // MsalAppCredentials asks for `${audience}/.default`, as botbuilder's own credentials do.
    return new MsalAppCredentials(application, appId, loginEndpoint, audience ?? '');
  }
}

/** A credentials factory whose MSAL gets the bot's tokens from the fake at `loginTo` (its http://127.0.0.1:port). */
export function msalCredentialsFactory(options: { readonly appId: string; readonly appPassword: string; readonly loginTo: string }): ServiceClientCredentialsFactory {
  return new MsalToFake(options.appId, options.appPassword, networkTo(options.loginTo));
}
