// Type declarations of @balanceai/client/curation (src/curation.js): curator score commitments.

/** The highest score a curator can give. */
export declare const MAX_SCORE: 100;
/** The longest salt, in UTF-8 bytes. */
export declare const MAX_SALT_BYTES: 128;

export interface ScoreInput {
  listingId?: bigint | number | string;
  listing_id?: bigint | number | string;
  score: number;
}

export interface Score {
  listingId: bigint;
  score: number;
}

export interface CommitmentArgs {
  /** The committing curator's bai1... address. */
  curator: string;
  chainId: string;
  salt: string;
  epoch: bigint | number | string;
  scores: ScoreInput[];
}

/** Checks and sorts scores by listing id. */
export declare function sortScores(scores: ScoreInput[]): Score[];
/** "<curator>|<chainId>|<salt>|<epoch>|<id>:<score>,...". */
export declare function commitmentString(args: CommitmentArgs): string;
/** Lowercase hex SHA-256 of commitmentString(args). */
export declare function scoreCommitment(args: CommitmentArgs): string;
/** 16 random bytes as 32 hex characters. */
export declare function randomSalt(): string;

/** The MsgCommitScores of a curator for an epoch, and the salt it used. */
export declare function commitScoresMsg(
  args: Omit<CommitmentArgs, "salt"> & { salt?: string },
): {
  msg: { typeUrl: "/balanceai.curation.v1.MsgCommitScores"; value: { curator: string; epoch: bigint; commitment: string } };
  salt: string;
};
/** The MsgRevealScores matching a commitment made with commitScoresMsg. */
export declare function revealScoresMsg(args: {
  curator: string;
  epoch: bigint | number | string;
  salt: string;
  scores: ScoreInput[];
}): {
  typeUrl: "/balanceai.curation.v1.MsgRevealScores";
  value: { curator: string; epoch: bigint; salt: string; scores: Score[] };
};
