import { describe, expect, it } from 'vitest';
import { promotionOrder } from '../../src/model/promotion-order.js';

describe('promotionOrder', () => {
  it('puts development first and production last, whatever the spelling', () => {
    expect(promotionOrder(['prod', 'staging', 'dev'])).toEqual(['dev', 'staging', 'prod']);
    expect(promotionOrder(['production', 'qa', 'development', 'uat'])).toEqual(['development', 'qa', 'uat', 'production']);
    expect(promotionOrder(['prod-eu', 'pre-prod', 'dev-eu', 'test'])).toEqual(['dev-eu', 'test', 'pre-prod', 'prod-eu']);
  });

  it('puts names it does not know between testing and staging, in name order', () => {
    expect(promotionOrder(['prod', 'englacial', 'dev', 'blue'])).toEqual(['dev', 'blue', 'englacial', 'prod']);
    expect(promotionOrder(['b', 'a'])).toEqual(['a', 'b']);
  });
});
