import type { ActionId } from '../../../src/messages/outgoing-message.js';

/**
 * The part of Adaptive Cards 1.5 that Steward's Teams cards use, typed so a renderer cannot write a property the
 * schema (adaptivecards.io, 1.5.0, `additionalProperties: false` everywhere) would refuse. Enum values are written
 * as the schema spells them. Teams' own `msteams` card property is not in that schema: a card sets it only to
 * mention people (Teams' documented extension, learn.microsoft.com "Mention support within Adaptive Cards"), and is
 * otherwise valid against the schema without it.
 */
export const adaptiveCardSchema = 'http://adaptivecards.io/schemas/adaptive-card.json';

/** 1.5: Teams runs Action.Execute (Universal Actions) only on cards that declare it. */
export const adaptiveCardVersion = '1.5';

export interface AdaptiveCard {
  readonly type: 'AdaptiveCard';
  readonly $schema: typeof adaptiveCardSchema;
  readonly version: typeof adaptiveCardVersion;
  readonly body: readonly CardElement[];
  readonly actions?: readonly CardAction[];
  /** What a client too old for 1.5 shows instead. */
  readonly fallbackText?: string;
  /** Teams' extension: the people the card's `<at>…</at>` texts mention. */
  readonly msteams?: { readonly entities: readonly MentionEntity[] };
}

/**
 * A person mentioned on a card: `text` is written, exactly, in one of the card's TextBlocks (`<at>Lena</at>`), and
 * Teams shows it as a mention of `mentioned.id` (their Entra object id), notifying them.
 */
export interface MentionEntity {
  readonly type: 'mention';
  readonly text: string;
  readonly mentioned: { readonly id: string; readonly name: string };
}

export type Spacing = 'none' | 'small' | 'default' | 'medium' | 'large';

export interface TextBlock {
  readonly type: 'TextBlock';
  /** Markdown (Teams' subset): untrusted text goes through `cardText`. */
  readonly text: string;
  readonly wrap: true;
  readonly weight?: 'bolder';
  readonly size?: 'small' | 'medium' | 'large';
  readonly color?: 'good' | 'attention' | 'warning' | 'accent';
  readonly isSubtle?: boolean;
  readonly style?: 'heading';
  readonly spacing?: Spacing;
  /** Monospace for what a reader copies exactly (the audit trail's head hash). */
  readonly fontType?: 'monospace';
}

/** A picture on the card: a digest's chart, as a `data:image/png;base64,…` URI (Adaptive Cards 1.2+). */
export interface Image {
  readonly type: 'Image';
  readonly url: string;
  /** What screen readers say instead of the picture. */
  readonly altText: string;
  /** `auto`: scaled down to fit the card, never up. */
  readonly size?: 'auto' | 'stretch';
  readonly spacing?: Spacing;
}

export interface Fact {
  /** Both are Markdown in Teams. */
  readonly title: string;
  readonly value: string;
}

export interface FactSet {
  readonly type: 'FactSet';
  readonly facts: readonly Fact[];
  readonly spacing?: Spacing;
}

export interface Container {
  readonly type: 'Container';
  readonly items: readonly CardElement[];
  readonly id?: string;
  readonly isVisible?: boolean;
  readonly separator?: boolean;
  readonly spacing?: Spacing;
  readonly style?: 'emphasis' | 'attention';
}

export interface ActionSet {
  readonly type: 'ActionSet';
  readonly actions: readonly CardAction[];
  readonly spacing?: Spacing;
}

interface InputBase {
  /** What the value is sent under in the invoke's `data`: unique on the card (see input-ids.ts). */
  readonly id: string;
  /** Plain text. */
  readonly label: string;
  readonly placeholder?: string;
  readonly spacing?: Spacing;
}

export interface TextInput extends InputBase {
  readonly type: 'Input.Text';
  readonly isMultiline?: boolean;
  readonly maxLength?: number;
  readonly style?: 'email';
  readonly value?: string;
}

export interface NumberInput extends InputBase {
  readonly type: 'Input.Number';
  readonly min?: number;
  readonly max?: number;
  readonly value?: number;
}

export interface DateInput extends InputBase {
  readonly type: 'Input.Date';
  /** YYYY-MM-DD. */
  readonly value?: string;
}

export type CardInput = TextInput | NumberInput | DateInput;

export type CardElement = TextBlock | FactSet | Container | ActionSet | CardInput | Image;

/** What a button sends besides the card's inputs: the core's value, and what the surface asked every button to carry. */
export interface ExecuteData {
  readonly [key: string]: string | number;
  readonly value: string;
}

/** A button that sends an `adaptiveCard/action` invoke: `verb` is the core's action id, `data.value` its value. */
export interface ExecuteAction {
  readonly type: 'Action.Execute';
  readonly title: string;
  readonly verb: ActionId;
  readonly data: ExecuteData;
  /** `none` for a button that asks nothing: it neither sends nor validates the card's inputs. */
  readonly associatedInputs?: 'none' | 'auto';
  readonly style?: 'positive' | 'destructive';
  readonly tooltip?: string;
}

/** An element to show or hide: its id alone toggles it; with `isVisible` it is shown or hidden outright. */
export type TargetElement = string | { readonly elementId: string; readonly isVisible: boolean };

export interface ToggleVisibilityAction {
  readonly type: 'Action.ToggleVisibility';
  readonly title: string;
  readonly targetElements: readonly TargetElement[];
  readonly style?: 'positive' | 'destructive';
  readonly tooltip?: string;
}

export type CardAction = ExecuteAction | ToggleVisibilityAction;

export function adaptiveCard(body: readonly CardElement[], extra: { readonly actions?: readonly CardAction[]; readonly fallbackText?: string; readonly mentions?: readonly MentionEntity[] } = {}): AdaptiveCard {
  return {
    type: 'AdaptiveCard',
    $schema: adaptiveCardSchema,
    version: adaptiveCardVersion,
    body,
    ...(extra.actions !== undefined && extra.actions.length > 0 ? { actions: extra.actions } : {}),
    ...(extra.fallbackText === undefined ? {} : { fallbackText: extra.fallbackText }),
    ...(extra.mentions !== undefined && extra.mentions.length > 0 ? { msteams: { entities: extra.mentions } } : {}),
  };
}
