/**
 * Steward's facts in a Backstage catalog live in metadata annotations under one prefix, so they travel with
 * the entity and Backstage ignores them. Owners may be emails or `user:` entity refs.
 */
export const annotationPrefix = 'steward.dev/';

export const stewardAnnotations = {
  accountable: `${annotationPrefix}accountable`,
  backup: `${annotationPrefix}backup`,
  approver: `${annotationPrefix}approver`,
  purpose: `${annotationPrefix}purpose`,
  dataSensitivity: `${annotationPrefix}data-sensitivity`,
  exposure: `${annotationPrefix}exposure`,
  authMethod: `${annotationPrefix}auth-method`,
  revocationPath: `${annotationPrefix}revocation-path`,
  codePath: `${annotationPrefix}code-path`,
  /** On a Component or Resource: a YAML list of the machine identities it uses. */
  identities: `${annotationPrefix}identities`,
  /** On a Group. */
  lead: `${annotationPrefix}lead`,
  channel: `${annotationPrefix}channel`,
} as const;

export const knownStewardAnnotations: ReadonlySet<string> = new Set(Object.values(stewardAnnotations));

/** Backstage's own annotation for where an entity's source code lives (`url:https://…/tree/<branch>/<path>`). */
export const sourceLocationAnnotation = 'backstage.io/source-location';
