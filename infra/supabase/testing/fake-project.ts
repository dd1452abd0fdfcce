import { FakeManagementApi } from './fake-management-api';

export const REF = 'stagingrefaaaaaaaaaa';

/** What a provider is given to reach one project; tests retry after `retryDelayMs`, not seconds. */
export interface TestTarget {
  projectRef: string;
  apiUrl: string;
  accessToken: string;
  retryDelayMs: number;
}

/** A started fake Management API holding the project REF, and the target that reaches it. */
export async function fakeProject(
  retryDelayMs: number,
): Promise<{ api: FakeManagementApi; target: TestTarget }> {
  const api = await new FakeManagementApi().start();
  api.addProject(REF);
  return {
    api,
    target: { projectRef: REF, apiUrl: api.url, accessToken: api.token, retryDelayMs },
  };
}
