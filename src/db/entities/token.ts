import { defineEntity, p } from '@mikro-orm/core';
import { User } from './user.ts';

/**
 * An API token pair. Only SHA-256 hashes of the tokens are stored, so a database dump
 * holds no usable credential; verifying an access token is one indexed lookup.
 */
export const TokenSchema = defineEntity({
  name: 'Token',
  tableName: 'token',
  properties: {
    id: p.integer().primary(),
    accessTokenHash: p.string().length(64).unique(),
    accessExpiration: p.datetime().length(3),
    refreshTokenHash: p.string().length(64).unique(),
    // Purging expired tokens walks this index.
    refreshExpiration: p.datetime().length(3).index(),
    user: () => p.manyToOne(User).fieldName('user_id').index().deleteRule('cascade'),
  },
});

export class Token extends TokenSchema.class {}
TokenSchema.setClass(Token);
