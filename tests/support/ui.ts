/**
 * The pages of the app as a person uses them, for end-to-end tests: found by
 * their labels and roles, as a screen reader would, so that a test reads like
 * the workflow it replays (`await login.signUp(…)`, `await members.invite(…)`).
 */
import type { Locator, Page } from 'playwright-core';

const TIMEOUT = 20_000;

export class LoginPage {
  constructor(readonly page: Page) {}

  /** Opens a page that needs a session and lands on the sign-in form. */
  async open(baseUrl: string, path = '/'): Promise<this> {
    await this.page.goto(new URL(path, baseUrl).toString());
    await this.page.waitForURL(/\/login\?callbackUrl=/, { timeout: TIMEOUT });
    // The email field: the "Create account" tab is not there when SIGNUP=off.
    await this.page.getByLabel('Email').waitFor({ timeout: TIMEOUT });
    return this;
  }

  private submit(name: 'Sign in' | 'Create account'): Promise<unknown> {
    return Promise.all([
      this.page.waitForResponse((r) => r.url().includes('/api/auth/callback/credentials'), { timeout: TIMEOUT }),
      this.page.getByRole('button', { name }).click(),
    ]);
  }

  /** Creates an account with the form's "Create account" tab; the form signs in and goes on to the dashboard. */
  async signUp(name: string, email: string, password: string): Promise<Dashboard> {
    await this.page.getByRole('tab', { name: 'Create account' }).click();
    await this.page.getByLabel('Name').fill(name);
    await this.page.getByLabel('Email').fill(email);
    await this.page.getByLabel('Password').fill(password);
    await this.submit('Create account');
    return new Dashboard(this.page).ready();
  }

  /** Tries to sign in; the sentence the form shows when it fails. */
  async signInFails(email: string, password: string): Promise<string> {
    await this.page.getByLabel('Email').fill(email);
    await this.page.getByLabel('Password').fill(password);
    await this.submit('Sign in');
    // Next's route announcer is an alert too, outside the page's main.
    const alert = this.page.getByRole('main').getByRole('alert');
    await alert.waitFor({ timeout: TIMEOUT });
    return (await alert.textContent())?.trim() ?? '';
  }
}

export class Dashboard {
  constructor(readonly page: Page) {}

  async ready(): Promise<this> {
    await this.page.getByRole('heading', { name: 'Your journey maps' }).waitFor({ timeout: TIMEOUT });
    return this;
  }

  card(title: string): Locator {
    return this.page.getByRole('list', { name: 'Maps' }).getByRole('listitem').filter({ has: this.page.getByRole('heading', { name: title }) });
  }

  async createMap(title: string, template: 'blank' | 'demo'): Promise<void> {
    const form = this.page.getByRole('form', { name: 'Create a map' });
    await form.getByLabel('New map title').fill(title);
    await form.getByLabel('Start from').selectOption(template);
    await form.getByRole('button', { name: 'Create map' }).click();
    // Creating a map opens it; the test comes back to the list.
    await this.page.waitForURL(/\/maps\/[^/]+$/, { timeout: TIMEOUT });
    await this.page.goto(new URL('/', this.page.url()).toString());
    await this.card(title).waitFor({ timeout: TIMEOUT });
  }

  /** The role badge on the map's card. */
  async roleOn(title: string): Promise<string> {
    const card = this.card(title);
    await card.waitFor({ timeout: TIMEOUT });
    return (await card.locator('h2 + span').textContent())?.trim() ?? '';
  }

  async openMembers(title: string): Promise<MembersPage> {
    await this.card(title).getByRole('link', { name: 'Members' }).click();
    return new MembersPage(this.page).ready(title);
  }

  async openMap(title: string): Promise<MapPage> {
    await this.card(title).getByRole('link', { name: title }).click();
    return new MapPage(this.page).ready(title);
  }
}

export class MembersPage {
  constructor(readonly page: Page) {}

  async ready(title: string): Promise<this> {
    await this.page.getByRole('heading', { level: 1, name: title }).waitFor({ timeout: TIMEOUT });
    return this;
  }

  /** Invites someone by email with a role; the sentence the page confirms it with. */
  async invite(email: string, role: 'editor' | 'commenter' | 'viewer'): Promise<string> {
    const form = this.page.getByRole('form', { name: 'Invite someone' });
    await form.getByLabel('Invite by email').fill(email);
    await form.getByLabel('Role').selectOption(role);
    await form.getByRole('button', { name: 'Invite' }).click();
    const status = this.page.getByRole('status');
    await status.waitFor({ timeout: TIMEOUT });
    return (await status.textContent())?.trim() ?? '';
  }

  members(): Locator {
    return this.page.getByRole('list', { name: 'Members' }).getByRole('listitem');
  }
}

export class MapPage {
  constructor(readonly page: Page) {}

  /** Waits until the map's documents are synced and the workspace shows the title. */
  async ready(title: string): Promise<this> {
    await this.page.getByRole('heading', { level: 1, name: title }).waitFor({ timeout: TIMEOUT });
    await this.page.getByRole('main', { name: 'Journey canvas' }).waitFor({ timeout: TIMEOUT });
    return this;
  }

  /** The role the workspace shows next to the title. */
  async role(): Promise<string> {
    return (await this.page.getByTestId('role-badge').textContent())?.trim() ?? '';
  }

  /** The map's edit controls in the header: adding touchpoints, undo, redo. */
  editControls(): Locator {
    return this.page.getByRole('button', { name: /^(Add touchpoint|Undo my last change|Redo)$/ });
  }
}
